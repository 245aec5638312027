package dev.guidesmith.bench;

import dev.guidesmith.broker.BrokerSettings;
import dev.guidesmith.broker.EmbeddedBroker;
import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.PostgresServer;
import dev.guidesmith.testkit.ScratchFolder;
import dev.guidesmith.testkit.ServiceProcess;
import dev.guidesmith.testkit.ServiceUnderTest;
import dev.guidesmith.testkit.Workloads;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What several nodes cost the fleet: the same problems on the uneven fleet ({@link UnevenFleet}: 1, 2
 * and 4 slots, the 4-slot server half as fast), in one run, by one node on in-memory SEDA queues, and
 * by two nodes (two service processes) on an embedded ActiveMQ Artemis broker sharing a PostgreSQL
 * (slot caps over both nodes), then the time a stage hop on the broker adds.
 *
 * <pre>
 * java -cp target/guidesmith.jar dev.guidesmith.bench.NodesBenchmark [problems] [token-latency-ms]
 * </pre>
 * Needs PostgreSQL's binaries (Debian's postgresql; see testkit/PostgresServer); without them only
 * the one-node row is printed. Fleet efficiency as in {@link FleetBenchmark}; "most held" is the
 * most calls each server held at once, counted at the server (never above its slots).
 */
public final class NodesBenchmark {

    private static final String MODEL = "sim-coder";

    private NodesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int problems = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        double tokenLatencyMs = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        List<SimulatedModelServer> servers = UnevenFleet.start(MODEL, tokenLatencyMs, 100);
        List<String> rows = new ArrayList<>();
        try {
            rows.add(row("one node, SEDA", oneNode(servers, problems)));
            if (PostgresServer.available()) {
                servers.forEach(SimulatedModelServer::reset);
                rows.add(row("two nodes, broker + PostgreSQL", twoNodes(servers, problems)));
            } else {
                rows.add("  two nodes: skipped, " + PostgresServer.whyUnavailable());
            }
        } finally {
            servers.forEach(SimulatedModelServer::close);
        }
        double hop = BrokerHopBenchmark.addedMillisPerHop(100);

        System.out.println();
        System.out.printf("Nodes benchmark: %d problems × %d stages on the uneven fleet (capacity %.1f), %.1f ms a token%n",
                problems, FleetBenchmark.STAGES, UnevenFleet.capacity(), tokenLatencyMs);
        System.out.printf("  %-32s %10s %10s %10s %16s %8s%n", "", "efficiency", "makespan", "ideal", "most held 1/2/4", "calls");
        rows.forEach(System.out::println);
        System.out.printf("  a stage hop on the broker adds %.2f ms (one problem at a time, instant server)%n", hop);
    }

    private static String row(String label, UnevenFleet.Use use) {
        return String.format("  %-32s %10.3f %9.1fs %9.1fs %16s %8d", label, use.efficiency(), use.makespan(), use.ideal(),
                use.held(), use.calls());
    }

    private static Map<String, String> settings(List<SimulatedModelServer> servers) {
        Map<String, String> settings = new LinkedHashMap<>(UnevenFleet.endpoints(servers, MODEL, Map.of()));
        settings.put("guide.checks", "sections");
        settings.put("pipeline.progress.interval", "10s");
        return settings;
    }

    private static UnevenFleet.Use oneNode(List<SimulatedModelServer> servers, int problems) throws Exception {
        try (ScratchFolder root = new ScratchFolder("guidesmith-nodes-");
             InJvmService service = InJvmService.start(root.path(), settings(servers))) {
            servers.forEach(SimulatedModelServer::reset);
            service.drop(Workloads.problems(root.path().resolve("problems.jsonl"), 1, problems), "problems.jsonl");
            service.awaitSettled("problems.jsonl", Duration.ofHours(2));
            return UnevenFleet.use(servers);
        }
    }

    private static UnevenFleet.Use twoNodes(List<SimulatedModelServer> servers, int problems) throws Exception {
        try (ScratchFolder root = new ScratchFolder("guidesmith-nodes-");
             PostgresServer postgres = PostgresServer.start();
             EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.local(root.path(), ServiceUnderTest.freePort(),
                     Duration.ofSeconds(1)))) {
            String store = postgres.newDatabase();
            List<ServiceProcess> nodes = new ArrayList<>();
            try {
                for (String id : List.of("node-a", "node-b")) {
                    Map<String, String> settings = settings(servers);
                    settings.put("pipeline.queue", "jms");
                    settings.put("pipeline.broker.url", broker.settings().url());
                    settings.put("pipeline.store.url", store);
                    settings.put("pipeline.store.user", PostgresServer.USER);
                    settings.put("pipeline.node-id", id);
                    settings.put("pipeline.work", root.path().resolve("work-" + id).toString());
                    nodes.add(ServiceProcess.start(root.path(), settings, id + ".log"));
                }
                ServiceUnderTest.await("a leader", Duration.ofMinutes(2), () -> leader(nodes) != null);
                ServiceProcess leader = leader(nodes);
                Path file = Workloads.problems(root.path().resolve("problems.jsonl"), 1, problems);
                leader.drop(file, "problems.jsonl");
                leader.awaitSettled("problems.jsonl", Duration.ofHours(2));
                if (leader.guideCount() != problems) {
                    throw new IllegalStateException("two nodes: " + leader.guideCount() + " guides of " + problems
                            + "; see the node logs under " + root.path());
                }
                return UnevenFleet.use(servers);
            } finally {
                for (ServiceProcess node : nodes) {
                    node.close();
                }
            }
        }
    }

    private static ServiceProcess leader(List<ServiceProcess> nodes) throws Exception {
        for (ServiceProcess node : nodes) {
            try {
                if ("leader".equals(node.status().path("node").path("role").asText())) {
                    return node;
                }
            } catch (ConnectException starting) {
                // not listening yet
            }
        }
        return null;
    }
}
