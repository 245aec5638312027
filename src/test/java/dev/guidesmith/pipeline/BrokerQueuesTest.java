package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guidesmith.broker.BrokerSettings;
import dev.guidesmith.broker.EmbeddedBroker;
import dev.guidesmith.problems.Problem;
import dev.guidesmith.sim.CallRecord;
import dev.guidesmith.stages.WorkItem;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.support.Json;
import dev.guidesmith.testing.GuideAssertions;
import dev.guidesmith.testing.SimOllama;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.ServiceProcess;
import dev.guidesmith.testkit.ServiceUnderTest;
import dev.guidesmith.testkit.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pipeline.queue=jms: the stage queues on a real ActiveMQ Artemis broker (the embedded one of the
 * broker role, in this JVM on a free port), the service against a simulated server.
 */
class BrokerQueuesTest {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerQueuesTest.class);
    /** The queues an item of a guide job crosses, in order. */
    private static final List<String> QUEUES = List.of("describe", "topics", "approaches", "solutions", "checks", "render");

    @TempDir
    Path dir;

    private EmbeddedBroker broker() throws Exception {
        return EmbeddedBroker.start(BrokerSettings.local(dir.resolve("broker-node"), ServiceUnderTest.freePort(),
                Duration.ofMillis(200)));
    }

    private static Map<String, String> onBroker(EmbeddedBroker broker, Map<String, String> fleet) {
        Map<String, String> settings = new HashMap<>(fleet);
        settings.put("pipeline.queue", "jms");
        settings.put("pipeline.broker.url", broker.settings().url());
        return settings;
    }

    @Test
    void tenProblemsCrossTheBrokerAndEachGuideIsWrittenOnce() throws Exception {
        int problems = 10;
        try (EmbeddedBroker broker = broker(); SimOllama box = SimOllama.start("box");
             InJvmService service = InJvmService.start(dir.resolve("node"), onBroker(broker, box.fleet()))) {
            service.drop(Workloads.problems(dir.resolve("source/problems.jsonl"), 1, problems), "problems.jsonl");
            service.awaitSettled("problems.jsonl", Duration.ofMinutes(2));

            assertThat(service.guideCount()).isEqualTo(problems);
            for (Path guide : service.guides()) {
                GuideAssertions.assertComplete(guide);
            }
            // a message is acknowledged just after its item settles
            await("the last acknowledgement", Duration.ofSeconds(10), () -> broker.acknowledgedOn("render") >= problems);
            for (String queue : QUEUES) {
                // every hop went through the broker, each item once, and nothing is left behind
                assertThat(broker.acknowledgedOn(queue)).as("messages taken from " + queue).isEqualTo(problems);
                assertThat(broker.messagesOn(queue)).as("messages left on " + queue).isZero();
            }
            assertThat(box.server().calls().stream().filter(CallRecord::success).count())
                    .as("one call per problem and model stage").isEqualTo(problems * 4L);
            assertThat(Files.readAllLines(service.work().resolve("done.log"))).hasSize(problems);
        }
    }

    @Test
    void aBatchFileCrossesTheBrokerAndEachRequestIsAnsweredOnce() throws Exception {
        int requests = 20;
        try (EmbeddedBroker broker = broker(); SimOllama box = SimOllama.start("box");
             InJvmService service = InJvmService.start(dir.resolve("node"), onBroker(broker, box.fleet()))) {
            service.drop(Workloads.batch(dir.resolve("source/scores.jsonl"), requests, SimOllama.MODEL, ""), "scores.jsonl");
            service.awaitSettled("scores.jsonl", Duration.ofMinutes(2));

            List<String> lines = Files.readAllLines(service.output().resolve("batches/scores.output.jsonl"));
            assertThat(lines).hasSize(requests);
            List<String> answered = new java.util.ArrayList<>();
            for (String line : lines) {
                answered.add(Json.MAPPER.readTree(line).path("custom_id").asText());
            }
            assertThat(answered).as("one answer per request").doesNotHaveDuplicates().hasSize(requests);
            // a message is acknowledged just after its request settles
            await("the last acknowledgement", Duration.ofSeconds(10), () -> broker.acknowledgedOn("batch-requests") >= requests);
            assertThat(broker.acknowledgedOn("batch-requests")).as("requests taken from the broker").isEqualTo(requests);
            assertThat(broker.messagesOn("batch-requests")).isZero();
        }
    }

    @Test
    void anItemBackBeforeItsJobIsResumedIsRolledBackToTheBrokerNotRecordedAsFailed() throws Exception {
        try (EmbeddedBroker broker = broker(); SimOllama box = SimOllama.start("box");
             InJvmService service = InJvmService.start(dir.resolve("node"), onBroker(broker, box.fleet()))) {
            // a job this node accepted but has not resumed: its folder is there, no split has begun it
            String job = "20250101-000000-later";
            Files.createDirectories(service.work().resolve("jobs").resolve(job));
            Files.writeString(service.work().resolve("jobs").resolve(job).resolve("job.json"), "{}");
            Problem problem = new Problem("7", true, "Reverse Integer", null, "Medium", List.of(), List.of(), null);
            // the step that settles it: the stages before may run anywhere, their results are kept
            service.context().createProducerTemplate().sendBody("jms:render",
                    new WorkItem(job, 1, problem, Map.of(), "done-key-7", "queued"));

            // rolled back at every delivery, until the broker sets it aside after its last attempt
            await("the message in the dead-letter queue", Duration.ofMinutes(1), () -> broker.messagesOn("DLQ.render") == 1);
            assertThat(broker.messagesOn("render")).isZero();
            assertThat(service.failureCount()).as("failure records").isZero();
            assertThat(box.calls()).as("model calls").isZero();
        }
    }

    @Test
    void aBrokerThatCannotBeReachedStopsTheStartWithTheKeyToFix() throws Exception {
        String nobody = "tcp://127.0.0.1:" + ServiceUnderTest.freePort();
        Map<String, String> settings = new HashMap<>(Map.of("pipeline.queue", "jms", "pipeline.broker.url", nobody));
        try (SimOllama box = SimOllama.start("box")) {
            settings.putAll(box.fleet());
            assertThatThrownBy(() -> InJvmService.start(dir.resolve("node"), settings).close())
                    // the first line the log shows ("The service stopped on an error: ...") says it all
                    .satisfies(e -> assertThat(e.toString())
                            .contains("Cannot reach the message broker at pipeline.broker.url=" + nobody)
                            .contains("guidesmith.role=broker"));
        }
    }

    @Test
    void aNodeKilledMidCallLeavesItsMessagesOnTheBrokerAndFinishesThemAfterItsRestart() throws Exception {
        int problems = 12;
        // 4 slots, about half a second a call: calls are in flight when the node is killed
        SimSettings slow = SimSettings.defaults().withSlots(4).withReplyTokens(100).withTokenLatency(Duration.ofMillis(5));
        try (EmbeddedBroker broker = broker(); SimOllama box = SimOllama.start("box", slow)) {
            Map<String, String> settings = onBroker(broker, box.fleet());
            // every problem enters the pipeline at once, so each unfinished one is a message on the broker
            settings.put("pipeline.max-in-flight", "100");
            // the compilers' checks are not what this is about, and slow on a loaded machine
            settings.put("guide.checks", "sections");
            Path root = dir.resolve("node");
            int guidesAtKill;
            long killedAt;
            try (ServiceProcess node = ServiceProcess.start(root, settings, "first.log")) {
                node.drop(Workloads.problems(dir.resolve("source/problems.jsonl"), 1, problems), "problems.jsonl");
                await("a stage's worth of calls made, and calls in flight", Duration.ofMinutes(2),
                        () -> box.server().counters().completed() >= problems
                                && box.server().counters().inside() > 0);
                killedAt = System.nanoTime();
                node.kill();
                guidesAtKill = (int) node.guideCount();
            }
            // the server finishes (or drops) the calls of the dead node before they are counted
            await("the server to finish the dead node's calls", Duration.ofMinutes(1), () -> box.server().counters().inside() == 0);
            long inFlightAtKill = box.server().calls().stream()
                    .filter(call -> call.startNanos() < killedAt && call.endNanos() >= killedAt - 100_000_000L)
                    .count();
            long waiting = QUEUES.stream().mapToLong(broker::messagesOn).sum();
            LOG.info("SIGKILL with {} guides written: {} messages wait on the broker", guidesAtKill, waiting);
            // With auto-acknowledge the messages whose calls were in flight would be gone: fewer than this.
            assertThat(waiting).as("messages of the unfinished problems, those in flight at the kill included")
                    .isGreaterThanOrEqualTo(problems - guidesAtKill).isLessThanOrEqualTo(problems);

            try (ServiceProcess node = ServiceProcess.start(root, settings, "second.log")) {
                await("all guides after the restart", Duration.ofMinutes(3),
                        () -> node.guideCount() == problems && node.jobsSettled()
                                && QUEUES.stream().mapToLong(broker::messagesOn).sum() == 0);
                assertThat(node.terminate(Duration.ofSeconds(60))).isZero();
            }
            for (Path guide : guides(root)) {
                GuideAssertions.assertComplete(guide);
            }
            for (String queue : QUEUES) {
                assertThat(broker.messagesOn("DLQ." + queue)).as("dead-lettered from " + queue).isZero();
            }
            assertThat(Files.readAllLines(root.resolve("work/done.log"))).hasSize(problems);
            // the restart did not send again what the broker held: only the calls in flight were made twice
            long repeated = box.server().calls().stream().filter(CallRecord::success).count() - problems * 4L;
            LOG.info("{} calls in flight at the kill, {} calls repeated after the restart", inFlightAtKill, repeated);
            assertThat(repeated).as("calls made twice").isBetween(0L, inFlightAtKill);
        }
    }

    private static List<Path> guides(Path root) throws Exception {
        try (var files = Files.list(root.resolve("output"))) {
            return files.filter(f -> f.getFileName().toString().matches("question_.*\\.md")).toList();
        }
    }
}
