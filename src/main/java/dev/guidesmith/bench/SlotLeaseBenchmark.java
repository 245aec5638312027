package dev.guidesmith.bench;

import dev.guidesmith.camel.CamelModelHttp;
import dev.guidesmith.llm.CallAttempts;
import dev.guidesmith.llm.ChatMessage;
import dev.guidesmith.llm.FleetSettings;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.llm.ModelRequest;
import dev.guidesmith.llm.SharedSlots;
import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.store.PostgresSlotLeases;
import dev.guidesmith.store.SharedStore;
import dev.guidesmith.store.SlotLeaseSettings;
import dev.guidesmith.store.StoreSettings;
import dev.guidesmith.support.Settings;
import dev.guidesmith.testkit.PostgresServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What sharing the model servers' slots among nodes costs ({@link PostgresSlotLeases}, a local
 * PostgreSQL started for it with fsync on), and what it does to the fleet's use.
 *
 * <pre>
 * java -cp target/guidesmith.jar dev.guidesmith.bench.SlotLeaseBenchmark [pairs] [calls] [token-latency-ms]
 * </pre>
 * <ol>
 * <li>ms per claim + release, one at a time on one node while a second node listens (mean, median, p99);
 *     then 16 threads on two nodes racing for a 4-slot server: pairs/s and the share of claims refused.</li>
 * <li>Fleet efficiency (useful work / (makespan × capacity), as in {@link FleetBenchmark}) on the uneven fleet
 *     (1, 2 and 4 slots, the 4-slot server half as fast), the same calls made by one node, then by two nodes
 *     (two fleets in this JVM, half the callers each) sharing the slots through the database; and the most calls
 *     each server held at once. Model calls only, no pipeline.</li>
 * </ol>
 * Defaults: 2,000 pairs, 200 calls (0: no fleet runs), 10 ms a token (100 tokens a reply: 1 s a call at speed 1).
 */
public final class SlotLeaseBenchmark {

    private static final String MODEL = "sim-coder";
    private static final SlotLeaseSettings LEASES = new SlotLeaseSettings(Duration.ofSeconds(5), Duration.ofSeconds(1));

    private SlotLeaseBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        double tokenLatencyMs = args.length > 2 ? Double.parseDouble(args[2]) : 10;
        if (!PostgresServer.available()) {
            System.out.println("Skipped: " + PostgresServer.whyUnavailable());
            return;
        }
        try (PostgresServer postgres = PostgresServer.start(true)) { // fsync on, as a real server
            StoreSettings database = new StoreSettings(postgres.newDatabase(), PostgresServer.USER, "", 8,
                    Duration.ofSeconds(10), Duration.ofSeconds(2));
            String cost = claimCost(database, pairs);
            String race = race(database, pairs);
            String efficiency = calls > 0 ? efficiency(database, calls, tokenLatencyMs) : "  fleet efficiency: not measured (0 calls)";
            System.out.println();
            System.out.println("Slot lease benchmark (PostgreSQL on this machine, fsync on)");
            System.out.println("  claim + release, one at a time:  " + cost);
            System.out.println("  16 threads on 2 nodes, 4 slots:  " + race);
            System.out.println(efficiency);
        }
    }

    private static String claimCost(StoreSettings database, int pairs) {
        // node b only listens: it re-reads the leases on every one of a's notifications, as in a cluster
        try (Node a = new Node(database, "a"); Node b = new Node(database, "b")) {
            long[] nanos = new long[pairs];
            for (int i = -200; i < pairs; i++) { // the first 200 warm up the pool and the JIT
                long start = System.nanoTime();
                OptionalLong claim = a.leases.claim("bench", 4, Duration.ofSeconds(1));
                a.leases.release(claim.orElseThrow());
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - start;
                }
            }
            Arrays.sort(nanos);
            double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
            return String.format("%.2f ms mean, %.2f ms median, %.2f ms p99 (%d pairs)", mean,
                    nanos[pairs / 2] / 1e6, nanos[(int) (pairs * 0.99)] / 1e6, pairs);
        }
    }

    private static String race(StoreSettings database, int pairs) throws Exception {
        try (Node a = new Node(database, "a"); Node b = new Node(database, "b")) {
            ExecutorService threads = Executors.newFixedThreadPool(16);
            AtomicInteger left = new AtomicInteger(pairs);
            AtomicLong refused = new AtomicLong();
            AtomicLong granted = new AtomicLong();
            AtomicInteger holding = new AtomicInteger();
            AtomicInteger mostHeld = new AtomicInteger();
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                PostgresSlotLeases leases = (t % 2 == 0 ? a : b).leases;
                done.add(threads.submit(() -> {
                    while (left.get() > 0) {
                        OptionalLong claim = leases.claim("race", 4, Duration.ofMillis(1));
                        if (claim.isEmpty()) {
                            refused.incrementAndGet();
                            continue;
                        }
                        mostHeld.accumulateAndGet(holding.incrementAndGet(), Math::max);
                        holding.decrementAndGet();
                        leases.release(claim.getAsLong());
                        granted.incrementAndGet();
                        left.decrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> thread : done) {
                thread.get();
            }
            threads.shutdown();
            double seconds = (System.nanoTime() - start) / 1e9;
            return String.format("%.0f pairs/s, %.0f%% of claims refused (server full), at most %d held at once",
                    granted.get() / seconds, 100.0 * refused.get() / (refused.get() + granted.get()), mostHeld.get());
        }
    }

    private static String efficiency(StoreSettings database, int calls, double tokenLatencyMs) throws Exception {
        List<SimulatedModelServer> servers = UnevenFleet.start(MODEL, tokenLatencyMs, 100);
        CamelModelHttp http = CamelModelHttp.standalone();
        int slots = UnevenFleet.SERVERS.stream().mapToInt(UnevenFleet.Server::slots).sum();
        try {
            String one;
            try (ModelFleet fleet = fleet(servers, http, SharedSlots.NONE)) {
                one = run("one node", List.of(fleet), 2 * slots, calls, servers);
            }
            String two;
            try (Node a = new Node(database, "a"); Node b = new Node(database, "b");
                 ModelFleet fleetA = fleet(servers, http, a.leases); ModelFleet fleetB = fleet(servers, http, b.leases)) {
                two = run("two nodes, shared slots", List.of(fleetA, fleetB), slots, calls, servers);
            }
            return String.format("  fleet efficiency, %d calls on servers of 1, 2 and 4 slots (the last half as fast), %s:%n%s%n%s",
                    calls, String.format("%.0f ms a token, 100 tokens a reply", tokenLatencyMs), one, two);
        } finally {
            http.stop();
            servers.forEach(SimulatedModelServer::close);
        }
    }

    /** The calls, made by {@code callersEach} threads on every node, drawn from one count. */
    private static String run(String label, List<ModelFleet> nodes, int callersEach, int calls, List<SimulatedModelServer> servers)
            throws Exception {
        servers.forEach(SimulatedModelServer::reset);
        ExecutorService threads = Executors.newCachedThreadPool();
        AtomicInteger left = new AtomicInteger(calls);
        List<Future<?>> done = new ArrayList<>();
        List<AtomicInteger> byNode = new ArrayList<>();
        for (ModelFleet node : nodes) {
            AtomicInteger mine = new AtomicInteger();
            byNode.add(mine);
            for (int t = 0; t < callersEach; t++) {
                done.add(threads.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        int n = mine.incrementAndGet();
                        node.call(new ModelRequest("describe", 0, "call " + n, budget -> List.of(ChatMessage.user("Explain " + n)),
                                null, 200, 0.2, Set.of()), new CallAttempts());
                    }
                    return null;
                }));
            }
        }
        for (Future<?> thread : done) {
            thread.get();
        }
        threads.shutdown();
        UnevenFleet.Use use = UnevenFleet.use(servers);
        return String.format("    %-26s efficiency %.3f, makespan %.1f s (ideal %.1f s), most held %s (slots 1/2/4), calls by node %s",
                label, use.efficiency(), use.makespan(), use.ideal(), use.held(), byNode.stream().map(AtomicInteger::get).toList());
    }

    private static ModelFleet fleet(List<SimulatedModelServer> servers, CamelModelHttp http, SharedSlots shared) {
        Map<String, String> keys = UnevenFleet.endpoints(servers, MODEL, Map.of());
        ModelFleet fleet = new ModelFleet(FleetSettings.from(new Settings(key -> Optional.ofNullable(keys.get(key)))), http, shared);
        fleet.start();
        return fleet;
    }

    /** One node's pool and slot leases. */
    private static final class Node implements AutoCloseable {
        final SharedStore store;
        final PostgresSlotLeases leases;

        Node(StoreSettings database, String id) {
            store = SharedStore.open(database, id);
            leases = new PostgresSlotLeases(store, id, LEASES);
            leases.start();
        }

        @Override
        public void close() {
            leases.close();
            store.close();
        }
    }
}
