package dev.guidesmith.bench;

import dev.guidesmith.broker.BrokerSettings;
import dev.guidesmith.broker.EmbeddedBroker;
import dev.guidesmith.testkit.Fleets;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.ScratchFolder;
import dev.guidesmith.testkit.ServiceUnderTest;
import dev.guidesmith.testkit.Workloads;
import java.time.Duration;
import java.util.Map;

/**
 * What a stage queue on the broker costs: the same problems through the whole service against an
 * instant simulated server, once on SEDA (in memory) and once on an embedded Artemis broker over
 * TCP loopback (pipeline.queue=jms: transacted consumers, JSON bodies), in the same run.
 *
 * <pre>
 * java -cp target/guidesmith.jar dev.guidesmith.bench.BrokerHopBenchmark [problems]
 * </pre>
 * First one problem at a time (pipeline.max-in-flight=1), so a problem's time is its hops plus its
 * work: the difference between the two, divided by the hops a problem makes (the stages, checks,
 * render), is the time a hop on the broker adds. Then all at once (throughput). Default: 300
 * problems; the broker runs in the same JVM (and on the same cores) as the service.
 */
public final class BrokerHopBenchmark {

    /** Queues a guide's item crosses: describe, topics, approaches, solutions, checks, render. */
    private static final int HOPS = 6;

    private BrokerHopBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int problems = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        // warm both paths up first (JIT, connections), then measure
        run("seda", Math.max(20, problems / 10), 1);
        run("jms", Math.max(20, problems / 10), 1);
        double sedaOne = run("seda", problems, 1);
        double jmsOne = run("jms", problems, 1);
        double sedaAll = run("seda", problems * 4, 64);
        double jmsAll = run("jms", problems * 4, 64);

        System.out.println();
        System.out.println("Broker hop benchmark: instant simulated server, 4 slots, checks: sections only, " + HOPS
                + " hops a problem");
        System.out.printf("  one at a time (%d problems)   seda %.2f ms a problem, jms %.2f ms a problem%n", problems,
                1000 / sedaOne, 1000 / jmsOne);
        System.out.printf("  added per hop on the broker    %.2f ms%n", (1000 / jmsOne - 1000 / sedaOne) / HOPS);
        System.out.printf("  all at once (%d problems)     seda %.1f problems/s, jms %.1f problems/s%n", problems * 4,
                sedaAll, jmsAll);
    }

    /**
     * What a hop on the broker adds, one problem at a time (after a warm-up of both paths), in
     * milliseconds: for benchmarks that print it beside their own figures.
     */
    static double addedMillisPerHop(int problems) throws Exception {
        run("seda", Math.max(20, problems / 10), 1);
        run("jms", Math.max(20, problems / 10), 1);
        return (1000 / run("jms", problems, 1) - 1000 / run("seda", problems, 1)) / HOPS;
    }

    /** Problems per second through a fresh service (and, for jms, a fresh broker). */
    private static double run(String queue, int problems, int inFlight) throws Exception {
        Map<String, String> settings = Fleets.instantSim(4);
        settings.put("guide.checks", "sections");
        settings.put("pipeline.max-in-flight", Integer.toString(inFlight));
        settings.put("pipeline.progress.interval", "60s");
        settings.put("pipeline.queue", queue);
        try (ScratchFolder root = new ScratchFolder("guidesmith-hops-")) {
            EmbeddedBroker broker = null;
            if ("jms".equals(queue)) {
                broker = EmbeddedBroker.start(BrokerSettings.local(root.path(), ServiceUnderTest.freePort(), Duration.ofSeconds(1)));
                settings.put("pipeline.broker.url", broker.settings().url());
            }
            try (InJvmService service = InJvmService.start(root.path().resolve("node"), settings)) {
                var file = Workloads.problems(root.path().resolve("problems.jsonl"), 1, problems);
                long start = System.nanoTime();
                service.drop(file, "problems.jsonl");
                service.awaitSettled("problems.jsonl", Duration.ofMinutes(30));
                double seconds = (System.nanoTime() - start) / 1e9;
                if (service.guideCount() != problems) {
                    throw new IllegalStateException(queue + ": " + service.guideCount() + " guides of " + problems);
                }
                return problems / seconds;
            } finally {
                if (broker != null) {
                    broker.close();
                }
            }
        }
    }
}
