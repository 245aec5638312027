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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
    /** Of those, the problems of a file dropped while the broker is away. */
    private static final int LATE = 4;
    /** How long the broker stays away once the work the node had taken is done. */
    private static final Duration QUIET = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    /**
     * With the client's defaults a send waits while the client reconnects (up to its
     * callFailoverTimeout, 30 s): the split and the stages wait in their sends. With a short
     * callFailoverTimeout in the URL the sends fail instead: the split tries again, and a stage
     * rolls its message back to the broker.
     */
    @ParameterizedTest(name = "client options \"{0}\"")
    @ValueSource(strings = {"", "?callFailoverTimeout=500"})
    void aBrokerStoppedMidRunIsWaitedForAndNoItemIsLostFailedOrCalledAgainBeyondThoseInFlight(String clientOptions)
            throws Exception {
        BrokerSettings brokerSettings = brokerSettings();
        EmbeddedBroker broker = EmbeddedBroker.start(brokerSettings);
        String url = brokerSettings.url() + clientOptions;
        try (LogCapture log = new LogCapture(); SimOllama box = SimOllama.start("box", slowServer())) {
            try (InJvmService service = InJvmService.start(dir.resolve("node"), settings(box, brokerSettings, clientOptions))) {
                service.drop(Workloads.problems(dir.resolve("source/problems.jsonl"), 1, PROBLEMS - LATE), "problems.jsonl");
                awaitCallsUnderWay(box);
                long stopping = System.nanoTime();
                broker.close();
                // a file dropped now is accepted, and its split waits to send its items
                service.drop(Workloads.problems(dir.resolve("source/late.jsonl"), 1001, LATE), "late.jsonl");
                // the calls under way finish, and so do those of the messages the stages had taken
                // (waiting for a slot); then nothing: no new work is taken while the broker is away
                await("the calls of the work taken before the stop to finish", Duration.ofMinutes(1),
                        () -> box.server().counters().inside() == 0);
                long callsBefore = box.server().counters().received();
                Thread.sleep(QUIET.toMillis());
                long startedWhileAway = box.server().counters().received() - callsBefore;
                assertThat(Files.exists(service.inbox().resolve(".done/late.jsonl"))).as("the late file accepted").isTrue();
                assertThat(service.failureCount()).as("items failed while the broker was away").isZero();
                long restarting = System.nanoTime();
                long callsOfTheOutage = callsUnderWayBetween(box, stopping, restarting);
                long guidesWhileAway = service.guideCount();
                broker = EmbeddedBroker.start(brokerSettings);

                service.awaitSettled("problems.jsonl", Duration.ofMinutes(2));
                service.awaitSettled("late.jsonl", Duration.ofMinutes(1));
                LOG.info("{} calls under way or started while the broker was away, {} guides written then; {} calls started"
                        + " in its last {} ms", callsOfTheOutage, guidesWhileAway, startedWhileAway, QUIET.toMillis());
                assertThat(startedWhileAway).as("calls started once the work taken before was done (no new work)").isZero();
                assertEverythingWrittenOnceAndNothingFailed(service.root(), service.failureCount(), broker);
                // a result that came back while the broker was away was kept: its redelivered message is
                // answered from the stage cache
                long repeated = repeatedCalls(box);
                LOG.info("{} calls repeated after the broker came back", repeated);
                assertThat(repeated).as("calls made twice").isBetween(0L, callsOfTheOutage);
            }
            // what the user is told: once that the broker is gone, once that it is back
            assertThat(log.text()).containsOnlyOnce("Lost the message broker at " + url + " ")
                    .containsOnlyOnce("The message broker at " + url + " is back");
        } finally {
            broker.close();
        }
    }

    @Test
    void aNodeStoppedWhileItsBrokerIsAwayStopsWithoutWaitingForItAndItsRestartFinishesEveryItem() throws Exception {
        BrokerSettings brokerSettings = brokerSettings();
        EmbeddedBroker broker = EmbeddedBroker.start(brokerSettings);
        try (LogCapture log = new LogCapture(); SimOllama box = SimOllama.start("box", slowServer())) {
            Map<String, String> settings = settings(box, brokerSettings, "");
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

    private static Map<String, String> settings(SimOllama box, BrokerSettings broker, String clientOptions) {
        Map<String, String> settings = new HashMap<>(box.fleet());
        settings.put("pipeline.queue", "jms");
        settings.put("pipeline.broker.url", broker.url() + clientOptions);
        // a job's split may send every item at once: it is the broker, not the room, it waits for
        settings.put("pipeline.max-in-flight", "100");
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
