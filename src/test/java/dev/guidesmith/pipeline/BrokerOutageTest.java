package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.broker.BrokerSettings;
import dev.guidesmith.broker.EmbeddedBroker;
import dev.guidesmith.sim.CallRecord;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.testing.GuideAssertions;
import dev.guidesmith.testing.LogCapture;
import dev.guidesmith.testing.SimOllama;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.ServiceUnderTest;
import dev.guidesmith.testkit.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pipeline.queue=jms and the broker goes away mid-run: the node waits for it, keeps the results of
 * the calls it had under way, and carries on by itself when the broker is back (the embedded broker
 * of the broker role, stopped and started again in this JVM on the same port and journal).
 */
class BrokerOutageTest {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerOutageTest.class);
    /** The queues an item of a guide job crosses, in order. */
    private static final List<String> QUEUES = List.of("describe", "topics", "approaches", "solutions", "checks", "render");
    private static final int PROBLEMS = 16;
    /** How long the broker stays away. */
    private static final Duration OUTAGE = Duration.ofSeconds(4);
    /** After the broker stopped, a consumer that had just taken a message may still start its call. */
    private static final Duration CALLS_SETTLE = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    @Test
    void aBrokerStoppedMidRunIsWaitedForAndNoItemIsLostFailedOrCalledAgainBeyondThoseInFlight() throws Exception {
        BrokerSettings brokerSettings = brokerSettings();
        EmbeddedBroker broker = EmbeddedBroker.start(brokerSettings);
        try (LogCapture log = new LogCapture(); SimOllama box = SimOllama.start("box", slowServer())) {
            try (InJvmService service = InJvmService.start(dir.resolve("node"), settings(box, brokerSettings))) {
                service.drop(Workloads.problems(dir.resolve("source/problems.jsonl"), 1, PROBLEMS), "problems.jsonl");
                awaitCallsUnderWay(box);
                long stopping = System.nanoTime();
                broker.close();
                long stopped = System.nanoTime();
                Thread.sleep(OUTAGE.toMillis());
                long restarting = System.nanoTime();
                // the calls under way went on while the broker was away; none of them failed an item
                long inFlightAtStop = callsUnderWayBetween(box, stopping, stopped);
                long startedWhileAway = box.server().calls().stream()
                        .filter(call -> call.startNanos() > stopped + CALLS_SETTLE.toNanos() && call.startNanos() < restarting)
                        .count();
                long guidesWhileAway = service.guideCount();
                assertThat(service.failureCount()).as("items failed while the broker was away").isZero();
                broker = EmbeddedBroker.start(brokerSettings);

                service.awaitSettled("problems.jsonl", Duration.ofMinutes(2));
                LOG.info("{} calls in flight when the broker stopped, {} guides written then; {} calls started while it was away",
                        inFlightAtStop, guidesWhileAway, startedWhileAway);
                assertThat(startedWhileAway).as("calls started while the broker was away (no new work)").isZero();
                assertEverythingWrittenOnceAndNothingFailed(service.root(), service.failureCount(), broker);
                // a result that came back while the broker was away was kept: its redelivered message is
                // answered from the stage cache
                long repeated = repeatedCalls(box);
                LOG.info("{} calls repeated after the broker came back", repeated);
                assertThat(repeated).as("calls made twice").isBetween(0L, inFlightAtStop);
            }
            // what the user is told: once that the broker is gone, once that it is back
            assertThat(log.text()).containsOnlyOnce("Lost the message broker at " + brokerSettings.url())
                    .containsOnlyOnce("The message broker at " + brokerSettings.url() + " is back");
        } finally {
            broker.close();
        }
    }

    @Test
    void aNodeStoppedWhileItsBrokerIsAwayStopsWithoutWaitingForItAndItsRestartFinishesEveryItem() throws Exception {
        BrokerSettings brokerSettings = brokerSettings();
        EmbeddedBroker broker = EmbeddedBroker.start(brokerSettings);
        try (LogCapture log = new LogCapture(); SimOllama box = SimOllama.start("box", slowServer())) {
            Map<String, String> settings = settings(box, brokerSettings);
            Path root = dir.resolve("node");
            InJvmService first = InJvmService.start(root, settings);
            first.drop(Workloads.problems(dir.resolve("source/problems.jsonl"), 1, PROBLEMS), "problems.jsonl");
            awaitCallsUnderWay(box);
            long stopping = System.nanoTime();
            broker.close();
            // the node stops (SIGTERM would do the same) while the broker is away: its consumers must
            // not wait for the broker, nor the stop for them
            CompletableFuture.runAsync(first::close).get(2, TimeUnit.MINUTES);
            long closed = System.nanoTime();
            long inFlightAtStop = callsUnderWayBetween(box, stopping, closed);
            assertThat(log.text()).as("a graceful stop, not one forced after camel.main.shutdown-timeout")
                    .contains("Stopping while the message broker at " + brokerSettings.url() + " is away")
                    .doesNotContain("Forcing the routes to be shutdown");
            assertThat(first.failureCount()).as("items failed by the stop").isZero();

            broker = EmbeddedBroker.start(brokerSettings);
            try (InJvmService second = InJvmService.start(root, settings)) {
                second.awaitSettled("problems.jsonl", Duration.ofMinutes(2));
                assertEverythingWrittenOnceAndNothingFailed(root, second.failureCount(), broker);
            }
            long repeated = repeatedCalls(box);
            LOG.info("{} calls under way while the node stopped, {} calls repeated after its restart", inFlightAtStop, repeated);
            assertThat(repeated).as("calls made twice").isBetween(0L, inFlightAtStop);
        } finally {
            broker.close();
        }
    }

    private BrokerSettings brokerSettings() throws Exception {
        return BrokerSettings.local(dir.resolve("broker-node"), ServiceUnderTest.freePort(), Duration.ofMillis(200));
    }

    /** 4 slots, about half a second a call: calls are under way when the broker stops. */
    private static SimSettings slowServer() {
        return SimSettings.defaults().withSlots(4).withReplyTokens(100).withTokenLatency(Duration.ofMillis(5));
    }

    private static Map<String, String> settings(SimOllama box, BrokerSettings broker) {
        Map<String, String> settings = new HashMap<>(box.fleet());
        settings.put("pipeline.queue", "jms");
        settings.put("pipeline.broker.url", broker.url());
        // the job's split has items left to send while the broker is away
        settings.put("pipeline.max-in-flight", "6");
        settings.put("pipeline.broker.retry-interval-ms", "200");
        settings.put("pipeline.broker.max-retry-interval-ms", "1000");
        // the compilers' checks are not what this is about, and slow on a loaded machine
        settings.put("guide.checks", "sections");
        return settings;
    }

    private static void awaitCallsUnderWay(SimOllama box) throws Exception {
        await("half the problems' first calls made, and calls in flight", Duration.ofMinutes(2),
                () -> box.server().counters().completed() >= PROBLEMS / 2 && box.server().counters().inside() > 0);
    }

    /** Calls the server was working on at some moment between {@code from} and {@code to}. */
    private static long callsUnderWayBetween(SimOllama box, long from, long to) {
        return box.server().calls().stream().filter(call -> call.startNanos() < to && call.endNanos() >= from).count();
    }

    /** Successful calls beyond one per problem and model stage. */
    private static long repeatedCalls(SimOllama box) {
        return box.server().calls().stream().filter(CallRecord::success).count() - PROBLEMS * 4L;
    }

    private static void assertEverythingWrittenOnceAndNothingFailed(Path root, long failures, EmbeddedBroker broker)
            throws Exception {
        List<Path> guides;
        try (var files = Files.list(root.resolve("output"))) {
            guides = files.filter(f -> f.getFileName().toString().matches("question_.*\\.md")).toList();
        }
        assertThat(guides).as("guides").hasSize(PROBLEMS);
        for (Path guide : guides) {
            GuideAssertions.assertComplete(guide);
        }
        assertThat(failures).as("failure records").isZero();
        assertThat(Files.readAllLines(root.resolve("work/done.log"))).hasSize(PROBLEMS);
        await("the last acknowledgement", Duration.ofSeconds(10), () -> QUEUES.stream().mapToLong(broker::messagesOn).sum() == 0);
        for (String queue : QUEUES) {
            assertThat(broker.messagesOn("DLQ." + queue)).as("dead-lettered from " + queue).isZero();
        }
    }
}
