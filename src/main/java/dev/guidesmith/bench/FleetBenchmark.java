package dev.guidesmith.bench;

import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.ScratchFolder;
import dev.guidesmith.testkit.Workloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of an uneven fleet's capacity the scheduler uses, against the ideal and against the
 * seeds' design (worker threads pinned to servers round-robin), on the same simulated fleet in the
 * same run: three servers with 1, 2 and 4 slots, the 4-slot one half as fast.
 *
 * <pre>
 * java -cp target/guidesmith.jar dev.guidesmith.bench.FleetBenchmark [problems] [token-latency-ms] [reply-tokens]
 * </pre>
 * The service runs twice: as configured by default, and with {@code queue-depth=1} on every
 * endpoint (one call waiting in each server's own queue). The slot gap is measured at the servers:
 * the time a slot stood empty between one call's end and the next call's start there, while calls
 * were waiting for it (gaps over a second, the idle end of the run, are left out).
 * Fleet efficiency = useful work / (makespan × capacity), where a call's work is its reply tokens ×
 * the per-token latency (the time it takes at speed 1), capacity = Σ slots × speed, and makespan
 * runs from the first call's start to the last call's end.
 */
public final class FleetBenchmark {

    static final String MODEL = "sim-coder";
    static final int STAGES = 4;

    private static final List<UnevenFleet.Server> FLEET = UnevenFleet.SERVERS;

    private FleetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int problems = args.length > 0 ? Integer.parseInt(args[0]) : 120;
        // 10 ms a token: a call takes 1 s at speed 1, still far shorter than real ones on a CPU, and
        // long enough that the client's turnaround between calls (~10 ms on 2 busy cores) is not the figure
        double tokenLatencyMs = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int replyTokens = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        double capacity = UnevenFleet.capacity();
        int slots = FLEET.stream().mapToInt(UnevenFleet.Server::slots).sum();

        List<SimulatedModelServer> servers = UnevenFleet.start(MODEL, tokenLatencyMs, replyTokens);
        try {
            Row guidesmith = runGuidesmith(servers, problems, capacity, 0);
            reset(servers);
            Row queueing = runGuidesmith(servers, problems, capacity, 1);
            reset(servers);
            long baselineFailures = PinnedWorkersBaseline.run(
                    servers.stream().map(SimulatedModelServer::baseUri).toList(), MODEL, slots, problems, STAGES);
            Row pinned = measure("pinned workers, round-robin", servers, problems, capacity, baselineFailures);

            System.out.println();
            System.out.printf("Fleet benchmark: %d problems × %d stages; servers %s; capacity %.1f (Σ slots × speed); "
                    + "%d tokens per reply at %.1f ms per token%n", problems, STAGES, describe(), capacity, replyTokens, tokenLatencyMs);
            System.out.printf("  %-34s %10s %10s %10s %22s %8s %9s %14s%n", "", "efficiency", "makespan", "ideal",
                    "most held (slots 1/2/4)", "calls", "repeated", "gap mean/median ms");
            for (Row row : List.of(guidesmith, queueing, pinned)) {
                System.out.printf("  %-34s %10.3f %9.1fs %9.1fs %22s %8d %9d %14s%n", row.label, row.efficiency, row.makespan,
                        row.ideal, row.held, row.calls, row.repeated, row.slotGap);
            }
        } finally {
            servers.forEach(SimulatedModelServer::close);
        }
    }

    private static Row runGuidesmith(List<SimulatedModelServer> servers, int problems, double capacity, int queueDepth)
            throws Exception {
        Map<String, String> fleet = new LinkedHashMap<>(UnevenFleet.endpoints(servers, MODEL, Map.of("queue-depth", Integer.toString(queueDepth))));
        fleet.put("pipeline.progress.interval", "10s");
        try (ScratchFolder root = new ScratchFolder("guidesmith-fleet-");
             InJvmService service = InJvmService.start(root.path(), fleet)) {
            reset(servers);
            service.drop(Workloads.problems(root.path().resolve("problems.jsonl"), 1, problems), "problems.jsonl");
            service.awaitSettled("problems.jsonl", Duration.ofHours(2));
            return measure(queueDepth == 0 ? "guidesmith (earliest finish)" : "guidesmith, queue-depth " + queueDepth, servers,
                    problems, capacity, 0);
        }
    }

    private static Row measure(String label, List<SimulatedModelServer> servers, int problems, double capacity, long failures) {
        UnevenFleet.Use use = UnevenFleet.use(servers);
        System.out.println(label + ": utilization by tenth of the makespan " + utilizationByTenth(servers, capacity));
        if (System.getProperty("bench.trace") != null) {
            trace(servers);
        }
        long repeated = use.calls() - (long) problems * STAGES;
        return new Row(label, use.efficiency(), use.makespan(), use.ideal(), use.held(), use.calls() + failures, repeated,
                slotGap(servers));
    }

    /** Mean and median time a slot stood empty between two calls, at the servers (gaps under a second). */
    private static String slotGap(List<SimulatedModelServer> servers) {
        List<Long> gaps = new ArrayList<>();
        for (SimulatedModelServer server : servers) {
            Map<Integer, List<dev.guidesmith.sim.CallRecord>> bySlot = new java.util.HashMap<>();
            for (var call : server.calls()) {
                if (call.slotNanos() != 0) {
                    bySlot.computeIfAbsent(call.slot(), slot -> new ArrayList<>()).add(call);
                }
            }
            for (List<dev.guidesmith.sim.CallRecord> calls : bySlot.values()) {
                calls.sort(java.util.Comparator.comparingLong(dev.guidesmith.sim.CallRecord::slotNanos));
                for (int i = 1; i < calls.size(); i++) {
                    long gap = calls.get(i).slotNanos() - calls.get(i - 1).endNanos();
                    if (gap >= 0 && gap < 1_000_000_000L) {
                        gaps.add(gap);
                    }
                }
            }
        }
        if (gaps.isEmpty()) {
            return "–";
        }
        gaps.sort(null);
        double mean = gaps.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
        return String.format("%.2f / %.2f", mean, gaps.get(gaps.size() / 2) / 1e6);
    }

    /** Busy capacity (slots × speed in use) per tenth of the run, to see where time is lost. */
    private static String utilizationByTenth(List<SimulatedModelServer> servers, double capacity) {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (SimulatedModelServer server : servers) {
            for (var call : server.calls()) {
                start = Math.min(start, call.startNanos());
                end = Math.max(end, call.endNanos());
            }
        }
        double[] busy = new double[10];
        double tenth = (end - start) / 10.0;
        for (int i = 0; i < servers.size(); i++) {
            double speed = FLEET.get(i).speed();
            for (var call : servers.get(i).calls()) {
                if (call.slotNanos() == 0) {
                    continue;
                }
                for (int t = 0; t < 10; t++) {
                    double from = Math.max(call.slotNanos(), start + t * tenth);
                    double to = Math.min(call.endNanos(), start + (t + 1) * tenth);
                    if (to > from) {
                        busy[t] += (to - from) * speed;
                    }
                }
            }
        }
        StringBuilder text = new StringBuilder();
        for (double b : busy) {
            text.append(String.format("%.2f ", b / (tenth * capacity)));
        }
        return text.toString().strip();
    }

    /** Lists the calls of the first and the last 3 s of the run: where a run loses time shows there. */
    private static void trace(List<SimulatedModelServer> servers) {
        long start = Long.MAX_VALUE;
        long end = 0;
        for (SimulatedModelServer server : servers) {
            for (var call : server.calls()) {
                start = Math.min(start, call.startNanos());
                end = Math.max(end, call.endNanos());
            }
        }
        List<String> first = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            for (var call : servers.get(i).calls()) {
                if (call.startNanos() - start < 3_000_000_000L) {
                    first.add(String.format("%8.3f %8.3f %s slot %d out %d", (call.startNanos() - start) / 1e9,
                            (call.endNanos() - start) / 1e9, FLEET.get(i).name(), call.slot(), call.outputTokens()));
                }
            }
        }
        first.sort(null);
        System.out.println("first 3 s (seconds from the first call):");
        first.forEach(System.out::println);
        System.out.println("last 3 s (seconds to the last call's end):");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            for (var call : servers.get(i).calls()) {
                if (end - call.endNanos() < 3_000_000_000L) {
                    lines.add(String.format("%8.3f %8.3f %s slot %d out %d", (call.startNanos() - end) / 1e9,
                            (call.endNanos() - end) / 1e9, FLEET.get(i).name(), call.slot(), call.outputTokens()));
                }
            }
        }
        lines.sort(null);
        lines.forEach(System.out::println);
    }

    private static void reset(List<SimulatedModelServer> servers) {
        servers.forEach(SimulatedModelServer::reset);
    }

    private static String describe() {
        StringBuilder text = new StringBuilder();
        for (UnevenFleet.Server server : FLEET) {
            text.append(text.length() == 0 ? "" : ", ").append(server.slots()).append(" slot(s) at speed ").append(server.speed());
        }
        return text.toString();
    }

    private record Row(String label, double efficiency, double makespan, double ideal, String held, long calls, long repeated,
                       String slotGap) {
    }
}
