package dev.guidesmith.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.sim.CallRecord;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.support.Json;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.ScratchFolder;
import dev.guidesmith.testkit.Workloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The tail of a run: how near the ideal a job ends whose problems differ fivefold in size, on an
 * uneven fleet, with and without {@code pipeline.longest-first}, in the same run.
 *
 * <pre>
 * java -cp target/guidesmith.jar dev.guidesmith.bench.TailBenchmark [problems] [token-latency-ms] [rounds]
 * </pre>
 * Three simulated servers with 1, 2 and 4 slots, the 4-slot one half as fast (capacity 5). The
 * problems carry statements (the three data stages call the model) from 4,000 to 32,000
 * characters in shuffled order, the longest third Hard and the shortest Easy, and the servers'
 * replies grow with the prompt (2 tokens per 100 prompt tokens), so a problem's work follows its
 * statement. Ideal = total work (reply tokens × per-token latency, at speed 1) / capacity; makespan
 * runs from the first call's start to the last call's end. The work spread is measured: each
 * problem's reply tokens summed from the stage cache, largest over smallest. Defaults: 60
 * problems, 10 ms a token, 1 round (each round runs file order, then longest first).
 */
public final class TailBenchmark {

    static final String MODEL = "sim-coder";
    static final int SHORTEST_STATEMENT = 1_000;
    /** 20,000 characters: the longest statement a problem may carry. */
    static final double SPREAD = 20;
    static final double REPLY_TOKENS_PER_PROMPT_TOKEN = 0.2;

    private static final List<UnevenFleet.Server> FLEET = UnevenFleet.SERVERS;

    private record Row(String label, double makespan, double ideal, double lastTenth, double workSpread, long calls) {
    }

    private TailBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int problems = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        double tokenLatencyMs = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        double capacity = UnevenFleet.capacity();

        List<SimulatedModelServer> servers = start(tokenLatencyMs);
        List<Row> rows = new ArrayList<>();
        try (ScratchFolder inputs = new ScratchFolder("guidesmith-tail-input-")) {
            Path file = Workloads.problemsVaryingInSize(inputs.path().resolve("problems.jsonl"), problems,
                    SHORTEST_STATEMENT, SPREAD, 11);
            for (int round = 0; round < rounds; round++) {
                rows.add(run(servers, file, capacity, false));
                rows.add(run(servers, file, capacity, true));
            }
        } finally {
            servers.forEach(SimulatedModelServer::close);
        }
        System.out.println();
        System.out.printf("Tail benchmark: %d problems × 3 stages, statements %,d–%,d characters in shuffled order;"
                        + " servers %s; capacity %.1f (Σ slots × speed); %.1f ms per token%n", problems, SHORTEST_STATEMENT,
                (int) (SHORTEST_STATEMENT * SPREAD), describe(), capacity, tokenLatencyMs);
        System.out.printf("  %-16s %10s %10s %14s %16s %13s %7s%n", "", "makespan", "ideal", "makespan/ideal",
                "last tenth used", "work spread", "calls");
        for (Row row : rows) {
            System.out.printf("  %-16s %9.1fs %9.1fs %14.3f %16.2f %12.1f× %7d%n", row.label(), row.makespan(), row.ideal(),
                    row.makespan() / row.ideal(), row.lastTenth(), row.workSpread(), row.calls());
        }
    }

    private static List<SimulatedModelServer> start(double tokenLatencyMs) {
        List<SimulatedModelServer> servers = new ArrayList<>();
        for (UnevenFleet.Server server : FLEET) {
            servers.add(new SimulatedModelServer(SimSettings.defaults()
                    .withName(server.name())
                    .withSlots(server.slots())
                    .withSpeed(server.speed())
                    .withModels(MODEL)
                    .withReplyTokens(1)
                    .withReplyTokensPerPromptToken(REPLY_TOKENS_PER_PROMPT_TOKEN)
                    .withContextTokens(32768)
                    .withTokenLatency(Duration.ofNanos((long) (tokenLatencyMs * 1e6)))).start());
        }
        return servers;
    }

    private static Row run(List<SimulatedModelServer> servers, Path problems, double capacity, boolean longestFirst)
            throws Exception {
        Map<String, String> fleet = new LinkedHashMap<>(UnevenFleet.endpoints(servers, MODEL, Map.of("context", "32768")));
        fleet.put("pipeline.progress.interval", "10s");
        fleet.put("pipeline.longest-first", Boolean.toString(longestFirst));
        // the checks compile C++ on the same cores; this measures the fleet's tail, not the compiler
        fleet.put("guide.checks", "sections");
        try (ScratchFolder root = new ScratchFolder("guidesmith-tail-");
             InJvmService service = InJvmService.start(root.path(), fleet)) {
            servers.forEach(SimulatedModelServer::reset);
            service.drop(problems, "problems.jsonl");
            service.awaitSettled("problems.jsonl", Duration.ofHours(2));
            if (service.failureCount() > 0) {
                throw new IllegalStateException(service.failureCount() + " problems failed; see " + service.work().resolve("failed"));
            }
            return measure(longestFirst ? "longest first" : "file order", servers, capacity, workSpread(service.work()));
        }
    }

    private static Row measure(String label, List<SimulatedModelServer> servers, double capacity, double workSpread) {
        UnevenFleet.Use use = UnevenFleet.use(servers);
        return new Row(label, use.makespan(), use.ideal(), lastTenthUsed(servers, capacity), workSpread, use.calls());
    }

    /** The share of the fleet's capacity busy in the last tenth of the run: a long tail leaves it low. */
    private static double lastTenthUsed(List<SimulatedModelServer> servers, double capacity) {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (SimulatedModelServer server : servers) {
            for (CallRecord call : server.calls()) {
                start = Math.min(start, call.startNanos());
                end = Math.max(end, call.endNanos());
            }
        }
        double from = end - (end - start) / 10.0;
        double busy = 0;
        for (int i = 0; i < servers.size(); i++) {
            for (CallRecord call : servers.get(i).calls()) {
                if (call.slotNanos() != 0 && call.endNanos() > from) {
                    busy += (call.endNanos() - Math.max(from, call.slotNanos())) * FLEET.get(i).speed();
                }
            }
        }
        return busy / ((end - from) * capacity);
    }

    /** Each problem's reply tokens, summed over its cached stage results: largest over smallest. */
    private static double workSpread(Path work) throws IOException {
        Map<String, Long> tokens = new HashMap<>();
        try (Stream<Path> files = Files.walk(work.resolve("cache"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode result = Json.MAPPER.readTree(file.toFile());
                tokens.merge(result.path("problemId").asText(), result.path("outputTokens").asLong(), Long::sum);
            }
        }
        long most = tokens.values().stream().mapToLong(Long::longValue).max().orElse(0);
        long least = tokens.values().stream().mapToLong(Long::longValue).min().orElse(1);
        return most / (double) Math.max(1, least);
    }

    private static String describe() {
        StringBuilder text = new StringBuilder();
        for (UnevenFleet.Server server : FLEET) {
            text.append(text.length() == 0 ? "" : ", ").append(server.slots()).append(" slot(s) at speed ").append(server.speed());
        }
        return text.toString();
    }
}
