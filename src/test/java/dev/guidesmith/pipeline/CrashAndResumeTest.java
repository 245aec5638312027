package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.sim.CallRecord;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.testkit.Workloads;
import dev.guidesmith.testing.GuideAssertions;
import dev.guidesmith.testkit.ServiceProcess;
import dev.guidesmith.testing.SimOllama;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service as a real process, stopped in the middle of a run: by SIGKILL (nothing half-written,
 * nothing lost, only the calls in flight at the kill are made again) and by SIGTERM (exit code 0,
 * then the next start finishes the job).
 */
class CrashAndResumeTest {

    private static final Logger LOG = LoggerFactory.getLogger(CrashAndResumeTest.class);
    static final int PROBLEMS = 30;
    static final long CALLS = PROBLEMS * 4L;

    @TempDir
    Path dir;

    private static SimOllama server() {
        // 4 slots, about 0.5 s a call: a run of 120 calls lasts long enough to be interrupted
        return SimOllama.start("box", SimSettings.defaults().withSlots(4).withReplyTokens(100)
                .withTokenLatency(Duration.ofMillis(5)));
    }

    @Test
    void killedWithSigkillMidRunItResumesAndRepeatsOnlyTheCallsInFlight() throws Exception {
        try (SimOllama box = server()) {
            Map<String, String> settings = box.fleet();
            Path problems = Workloads.problems(dir.resolve("source/problems.jsonl"), 1, PROBLEMS);
            long killedAt;
            try (ServiceProcess service = ServiceProcess.start(dir, settings, "first.log")) {
                service.drop(problems, "problems.jsonl");
                await("some guides before the kill", Duration.ofMinutes(2), () -> guides().size() >= 5);
                await("calls in flight", Duration.ofSeconds(30), () -> box.server().counters().inside() > 0);
                killedAt = System.nanoTime();
                service.kill();
            }
            long inFlightAtKill = box.server().calls().stream()
                    .filter(call -> call.startNanos() < killedAt && call.endNanos() >= killedAt - 100_000_000L)
                    .count();
            int guidesAtKill = guides().size();

            try (ServiceProcess service = ServiceProcess.start(dir, settings, "second.log")) {
                await("all guides after the restart", Duration.ofMinutes(3),
                        () -> service.guideCount() == PROBLEMS && service.jobsSettled());
                assertThat(service.log()).contains("Resuming job");
                assertThat(service.terminate(Duration.ofSeconds(60))).isZero();
            }
            for (Path guide : guides()) {
                GuideAssertions.assertComplete(guide);
            }
            assertNoLeftovers();
            long successful = box.server().calls().stream().filter(CallRecord::success).count();
            long repeated = successful - CALLS;
            LOG.info("SIGKILL with {} guides written: {} calls in flight at the kill, {} calls repeated after the restart",
                    guidesAtKill, inFlightAtKill, repeated);
            assertThat(repeated).as("calls made twice").isLessThanOrEqualTo(inFlightAtKill).isGreaterThanOrEqualTo(0);
            assertThat(Files.readAllLines(dir.resolve("work/done.log"))).hasSize(PROBLEMS);
            try (Stream<Path> jobs = Files.list(dir.resolve("work/jobs/finished"))) {
                assertThat(jobs).as("the file was accepted once, not again at the restart").hasSize(1);
            }
        }
    }

    @Test
    void sigtermStopsGracefullyWithExitCodeZeroAndTheNextStartFinishes() throws Exception {
        try (SimOllama box = server()) {
            Map<String, String> settings = box.fleet();
            Path problems = Workloads.problems(dir.resolve("source/problems.jsonl"), 1, PROBLEMS);
            try (ServiceProcess service = ServiceProcess.start(dir, settings, "first.log")) {
                service.drop(problems, "problems.jsonl");
                await("some guides before SIGTERM", Duration.ofMinutes(2), () -> guides().size() >= 5);
                assertThat(service.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isZero();
                assertThat(service.log()).contains("SIGTERM received");
            }
            assertThat(guides()).hasSizeLessThan(PROBLEMS);
            assertThat(dir.resolve("work/failed")).as("no failure records from the stop").doesNotExist();
            try (ServiceProcess service = ServiceProcess.start(dir, settings, "second.log")) {
                await("all guides after the restart", Duration.ofMinutes(3),
                        () -> service.guideCount() == PROBLEMS && service.jobsSettled());
                assertThat(service.terminate(Duration.ofSeconds(60))).isZero();
            }
            for (Path guide : guides()) {
                GuideAssertions.assertComplete(guide);
            }
            long successful = box.server().calls().stream().filter(CallRecord::success).count();
            LOG.info("SIGTERM: {} calls repeated after the restart", successful - CALLS);
            assertThat(successful).as("calls: every finished call's result was kept").isEqualTo(CALLS);
        }
    }

    private List<Path> guides() throws Exception {
        Path output = dir.resolve("output");
        if (!Files.isDirectory(output)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(output)) {
            return files.filter(f -> f.getFileName().toString().matches("question_.*\\.md")).toList();
        }
    }

    private void assertNoLeftovers() throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("output"))) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp"))).as("half-written files").isEmpty();
        }
    }
}
