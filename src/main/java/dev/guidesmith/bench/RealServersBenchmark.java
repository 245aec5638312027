package dev.guidesmith.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.LlamaServerProcess;
import dev.guidesmith.testkit.ScratchFolder;
import dev.guidesmith.testkit.ShortSchemas;
import dev.guidesmith.testkit.SlotOccupancy;
import dev.guidesmith.testkit.Workloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The guide pipeline against real llama.cpp servers, as the servers count it: two llama-server
 * processes ({@code -np 2 -t 1}, 8192 tokens per slot) with the tiny real model, problems with their statements given (three
 * data stages each). Prints, per setting of {@code llm.endpoint.<n>.queue-depth}:
 * <ul>
 * <li>slot occupancy: the servers' own {@code /slots} sampled every 100 ms, busy share over the active window;</li>
 * <li>prompt tokens the servers evaluated ({@code llamacpp:prompt_tokens_total} in their {@code /metrics})
 *     against the prompt tokens the service sent (as the servers reported them per call): the rest came
 *     from their prompt caches.</li>
 * </ul>
 * <pre>
 * java -cp target/guidesmith.jar dev.guidesmith.bench.RealServersBenchmark [problems] [queue-depths, e.g. 0,1]
 * </pre>
 * Run from the project's root (it finds {@code ../shared/tools/llama-server} and the model there).
 */
public final class RealServersBenchmark {

    static final int SERVERS = 2;
    static final int SLOTS_PER_SERVER = 2;
    static final int CONTEXT_PER_SLOT = 8192;

    private RealServersBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (!LlamaServerProcess.available()) {
            System.out.println("RealServersBenchmark skipped: " + LlamaServerProcess.whyUnavailable());
            return;
        }
        int problems = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        List<Integer> depths = new ArrayList<>();
        for (String depth : (args.length > 1 ? args[1] : "0,1").split(",")) {
            depths.add(Integer.parseInt(depth.strip()));
        }
        List<String> rows = new ArrayList<>();
        for (int depth : depths) {
            rows.add(run(problems, depth));
        }
        System.out.println();
        System.out.printf("Real servers: %d llama-server × %d slots, stories260K, %d problems with statements (3 data stages)%n",
                SERVERS, SLOTS_PER_SERVER, problems);
        System.out.printf("  %-12s %10s %9s %12s %12s %10s %8s%n", "queue-depth", "occupancy", "samples", "sent", "evaluated",
                "eval/sent", "makespan");
        rows.forEach(System.out::println);
    }

    private static String run(int problems, int queueDepth) throws Exception {
        try (ScratchFolder root = new ScratchFolder("guidesmith-real-")) {
            List<LlamaServerProcess> servers = new ArrayList<>();
            try {
                Map<String, String> fleet = new LinkedHashMap<>();
                List<String> names = new ArrayList<>();
                for (int i = 0; i < SERVERS; i++) {
                    // the tiny model says it was trained on 2048 tokens, and llama-server caps each slot
                    // there; the guide prompts (system message first) are sized for the 8k slots of real
                    // models, so the slots get that
                    LlamaServerProcess server = LlamaServerProcess.start(SLOTS_PER_SERVER, SLOTS_PER_SERVER * CONTEXT_PER_SLOT,
                            root.path().resolve("llama-server-" + i + ".log"), "--override-kv",
                            "llama.context_length=int:" + CONTEXT_PER_SLOT);
                    servers.add(server);
                    String name = "llama-" + i;
                    names.add(name);
                    fleet.put("llm.endpoint." + name + ".api", "llamacpp");
                    fleet.put("llm.endpoint." + name + ".url", server.url());
                    fleet.put("llm.endpoint." + name + ".model", "stories260K");
                    fleet.put("llm.endpoint." + name + ".queue-depth", Integer.toString(queueDepth));
                }
                fleet.put("llm.endpoints", String.join(",", names));
                // the tiny model's replies bounded, so every call is one call (see ShortSchemas)
                ShortSchemas.use(root.path().resolve("schemas"), List.of("topics", "approaches", "solutions"), fleet);
                long sent;
                double makespan;
                double occupancy;
                int samples;
                try (InJvmService service = InJvmService.start(root.path().resolve("service"), fleet);
                     SlotOccupancy sampler = SlotOccupancy.sample(servers, SERVERS * SLOTS_PER_SERVER, 100)) {
                    Path file = Workloads.problemsWithStatements(root.path().resolve("problems.jsonl"), 1, problems, 900);
                    long started = System.nanoTime();
                    service.drop(file, "problems.jsonl");
                    service.awaitSettled("problems.jsonl", Duration.ofMinutes(30));
                    makespan = (System.nanoTime() - started) / 1e9;
                    sent = 0;
                    for (JsonNode endpoint : service.status().path("endpoints")) {
                        sent += endpoint.path("promptTokens").asLong();
                    }
                    occupancy = sampler.occupancy();
                    samples = sampler.activeSamples();
                    System.out.println("queue-depth " + queueDepth + ": slot occupancy by tenth of the active window "
                            + sampler.byTenth());
                }
                long evaluated = 0;
                for (LlamaServerProcess server : servers) {
                    evaluated += server.promptTokensEvaluated();
                }
                return String.format("  %-12d %10.3f %9d %12d %12d %10.3f %7.1fs", queueDepth, occupancy, samples, sent,
                        evaluated, sent == 0 ? 0 : evaluated / (double) sent, makespan);
            } finally {
                servers.forEach(LlamaServerProcess::close);
            }
        }
    }
}
