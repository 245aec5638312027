package dev.guidesmith.bench;

import dev.guidesmith.camel.CamelModelHttp;
import dev.guidesmith.llm.CallAttempts;
import dev.guidesmith.llm.ChatMessage;
import dev.guidesmith.llm.Endpoint;
import dev.guidesmith.llm.EndpointState;
import dev.guidesmith.llm.FailureKind;
import dev.guidesmith.llm.FleetSettings;
import dev.guidesmith.llm.ModelCallException;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.llm.ModelReply;
import dev.guidesmith.llm.ModelRequest;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.support.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code slots=auto} against every fixed setting, on simulated Ollama servers that hide their parallelism (1, 4 and
 * 16): up to that many calls share the server's throughput along {@code n^0.8}, more wait in its queue (see
 * {@link SimSettings#withParallelism(int)}). Each row keeps enough callers waiting (twice the most slots tried) for
 * {@code seconds}, then lets the calls under way finish; its throughput is the output tokens of the calls completed
 * over that whole time, so the auto row pays for its search (1 slot, 2, 4, ...) like a real run does. Every row has
 * {@code queue-depth=1} (one call waiting in the server's own queue), so the service's turnaround between calls, large
 * next to these scaled-down calls, does not make slots beyond the server's parallelism look useful.
 *
 * <pre>
 * java -cp target/guidesmith.jar dev.guidesmith.bench.AutoSlotsBenchmark [seconds-per-row] [token-latency-ms] [reply-tokens]
 * </pre>
 * {@code -Dbench.parallelism=4} and {@code -Dbench.fixed=4,8} choose the servers and the fixed settings. Defaults:
 * 10 s a row, each row run twice (the settings in one order, then in the other) and averaged, 2 ms a token, 25-token
 * replies (a call alone takes 50 ms: latency scaled down so the search, which measures a few rounds of calls at each
 * level, fits in a short row). Targets: auto / best fixed ≥ 0.95 and no timeouts. Also printed: auto / the fixed
 * setting equal to the hidden parallelism, which separates what the search costs from what slots beyond the
 * parallelism gain by hiding the service's own delays between calls (large on a loaded machine).
 */
public final class AutoSlotsBenchmark {

    private static final List<Integer> PARALLELISMS = numbers("bench.parallelism", "1,4,16");
    private static final List<Integer> FIXED = numbers("bench.fixed", "1,2,4,8,16,32");
    private static final String MODEL = "sim-gpu";

    private record Row(double tokensPerSecond, long calls, long timeouts, long failures, String decision) {

        /** Two runs of the same setting: their mean throughput, all their calls and timeouts, both decisions. */
        Row mean(Row other) {
            return new Row((tokensPerSecond + other.tokensPerSecond) / 2, calls + other.calls, timeouts + other.timeouts,
                    failures + other.failures, decision.isEmpty() ? "" : decision + "; then " + other.decision);
        }
    }

    private AutoSlotsBenchmark() {
    }

    /** A list of numbers from a system property ({@code -Dbench.parallelism=4} runs one server only). */
    private static List<Integer> numbers(String property, String fallback) {
        return java.util.Arrays.stream(System.getProperty(property, fallback).split(",")).map(String::trim)
                .filter(text -> !text.isEmpty()).map(Integer::valueOf).toList();
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        double tokenLatencyMs = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        int replyTokens = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        int callers = 2 * Math.max(dev.guidesmith.llm.EndpointSettings.DEFAULT_MAX_SLOTS,
                FIXED.stream().mapToInt(Integer::intValue).max().orElse(1));
        Map<Integer, Map<String, Row>> results = new LinkedHashMap<>();
        try (CamelModelHttp http = CamelModelHttp.standalone()) {
            // a row that is not counted: the JIT compiles the call path here, not during the first rows' measurements
            run(http, 4, "8", Math.min(seconds, 5), tokenLatencyMs, replyTokens, callers);
            for (int parallelism : PARALLELISMS) {
                List<String> settings = new ArrayList<>();
                settings.add("auto");
                FIXED.forEach(slots -> settings.add(Integer.toString(slots)));
                // two passes in opposite orders, averaged: a shared machine's load drifts, and no setting should
                // always run at its busiest moment
                Map<String, Row> rows = new LinkedHashMap<>();
                for (int pass = 0; pass < 2; pass++) {
                    for (String slots : settings) {
                        rows.merge(slots, run(http, parallelism, slots, seconds, tokenLatencyMs, replyTokens, callers), Row::mean);
                    }
                    java.util.Collections.reverse(settings);
                }
                Map<String, Row> ordered = new LinkedHashMap<>();
                ordered.put("auto", rows.get("auto"));
                FIXED.forEach(slots -> ordered.put(Integer.toString(slots), rows.get(Integer.toString(slots))));
                results.put(parallelism, ordered);
            }
        }

        System.out.println();
        System.out.printf("Auto slots: simulated Ollama servers of hidden parallelism %s (throughput ∝ min(n,P)^%.1f); %d-token"
                        + " replies at %.1f ms a token; %.0f s of calls a row, twice, averaged; %d callers; output tokens/s%n", PARALLELISMS,
                SimSettings.CONTENDED_SCALING, replyTokens, tokenLatencyMs, seconds, callers);
        StringBuilder head = new StringBuilder(String.format("  %-4s %8s", "P", "auto"));
        FIXED.forEach(slots -> head.append(String.format(" %8s", "fixed " + slots)));
        head.append(String.format(" %10s %9s %11s %9s %9s", "best fixed", "auto/best", "auto/fixed=P", "timeouts", "(fixed)"));
        System.out.println(head);
        for (Map.Entry<Integer, Map<String, Row>> entry : results.entrySet()) {
            Map<String, Row> rows = entry.getValue();
            StringBuilder line = new StringBuilder(String.format("  %-4d %8.0f", entry.getKey(), rows.get("auto").tokensPerSecond()));
            double best = 0;
            String bestName = "";
            long fixedTimeouts = 0;
            for (int slots : FIXED) {
                Row row = rows.get(Integer.toString(slots));
                line.append(String.format(" %8.0f", row.tokensPerSecond()));
                fixedTimeouts += row.timeouts();
                if (row.tokensPerSecond() > best) {
                    best = row.tokensPerSecond();
                    bestName = Integer.toString(slots);
                }
            }
            Row auto = rows.get("auto");
            Row atParallelism = rows.get(Integer.toString(entry.getKey()));
            line.append(String.format(" %10s %9.3f %11s %9d %9d", best > 0 ? String.format("%.0f (%s)", best, bestName) : "-",
                    best > 0 ? auto.tokensPerSecond() / best : 0,
                    atParallelism == null ? "-" : String.format("%.3f", auto.tokensPerSecond() / atParallelism.tokensPerSecond()),
                    auto.timeouts(), fixedTimeouts));
            System.out.println(line);
        }
        System.out.println("  auto's decisions:");
        results.forEach((parallelism, rows) -> System.out.printf("    P=%-3d %s%s%n", parallelism, rows.get("auto").decision(),
                rows.get("auto").failures() > 0 ? " (" + rows.get("auto").failures() + " failed calls)" : ""));
    }

    private static Row run(CamelModelHttp http, int parallelism, String slots, double seconds, double tokenLatencyMs,
                           int replyTokens, int callers) throws Exception {
        SimSettings shape = SimSettings.defaults().withParallelism(parallelism).withName("p" + parallelism).withModels(MODEL)
                .withReplyTokens(replyTokens).withTokenLatency(Duration.ofNanos(Math.round(tokenLatencyMs * 1e6)));
        try (SimulatedModelServer server = new SimulatedModelServer(shape).start()) {
            Map<String, String> values = new HashMap<>();
            values.put("llm.endpoints", "gpu");
            values.put("llm.endpoint.gpu.api", "ollama");
            values.put("llm.endpoint.gpu.url", server.baseUri().toString());
            values.put("llm.endpoint.gpu.model", MODEL);
            values.put("llm.endpoint.gpu.slots", slots);
            // every row, auto and fixed, keeps one call waiting in the server's queue: with calls this short the
            // service's turnaround between calls would otherwise reward slots beyond the server's parallelism
            values.put("llm.endpoint.gpu.queue-depth", "1");
            Settings settings = new Settings(key -> Optional.ofNullable(values.get(key)));
            try (ModelFleet fleet = new ModelFleet(FleetSettings.from(settings), http)) {
                fleet.start();
                Endpoint endpoint = fleet.endpoint("gpu");
                while (endpoint.state() != EndpointState.HEALTHY) {
                    Thread.sleep(10);
                }
                AtomicLong tokens = new AtomicLong();
                AtomicLong calls = new AtomicLong();
                AtomicLong timeouts = new AtomicLong();
                AtomicLong failures = new AtomicLong();
                long start = System.nanoTime();
                long stopAdmitting = start + (long) (seconds * 1e9);
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    int caller = i;
                    Thread thread = new Thread(() -> {
                        long n = 0;
                        while (System.nanoTime() < stopAdmitting) {
                            String question = "Problem " + caller + "-" + n++ + ": explain the two-pointer technique.";
                            ModelRequest request = new ModelRequest("bench", 0, "call " + caller, budget -> List.of(
                                    ChatMessage.user(question)), null, 500, 0.2, Set.of());
                            try {
                                ModelReply reply = fleet.call(request, new CallAttempts());
                                tokens.addAndGet(reply.outputTokens());
                                calls.incrementAndGet();
                            } catch (ModelCallException e) {
                                failures.incrementAndGet();
                                if (e.kind() == FailureKind.IDLE_TIMEOUT || e.kind() == FailureKind.CALL_TIMEOUT) {
                                    timeouts.incrementAndGet();
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                    }, "bench-caller-" + i);
                    thread.start();
                    threads.add(thread);
                }
                // when the slots last changed: how long auto took to find its level
                long lastChange = start;
                int seen = endpoint.slots();
                while (threads.stream().anyMatch(Thread::isAlive)) {
                    if (endpoint.slots() != seen) {
                        seen = endpoint.slots();
                        lastChange = System.nanoTime();
                    }
                    Thread.sleep(20);
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                double settledAfter = (lastChange - start) / 1e9;
                String decision = endpoint.autoSlots() ? String.format("%s (slots now %d, last changed after %.1f s)",
                        endpoint.slotsDecision(), endpoint.slots(), settledAfter) : "";
                Row row = new Row(tokens.get() / elapsed, calls.get(), timeouts.get(), failures.get(), decision);
                System.out.printf("P=%d slots=%s: %.0f tokens/s, %d calls, %d timeouts%s%n", parallelism, slots,
                        row.tokensPerSecond(), row.calls(), row.timeouts(), decision.isEmpty() ? "" : "; " + decision);
                return row;
            }
        }
    }
}
