package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.testing.GuideAssertions;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testing.SimOllama;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service as users run it (camel-main, application.properties, YAML routes) against a
 * simulated Ollama server on loopback: a file of 21 problems becomes 21 complete guides, and
 * dropping it again, before or after a restart, makes no model call.
 */
class PipelineEndToEndTest {

    static final Path SAMPLE = Path.of("data/samples/leetcode-20.json");
    static final int PROBLEMS = 21;
    static final int WITH_DESCRIPTION = 2;

    @TempDir
    Path dir;

    private SimOllama box;
    private SimulatedModelServer ollama;

    @BeforeEach
    void startServer() {
        box = SimOllama.start("box");
        ollama = box.server();
    }

    @AfterEach
    void stopServer() {
        box.close();
    }

    private Map<String, String> fleet() {
        return box.fleet();
    }

    @Test
    void aFileOfProblemsBecomesCompleteGuidesAndIsNeverWorkedTwice() throws Exception {
        try (InJvmService service = InJvmService.start(dir, fleet())) {
            service.drop(SAMPLE, "leetcode.json");
            await("21 guides", Duration.ofMinutes(2), () -> service.guideCount() == PROBLEMS && service.jobsSettled());
            assertThat(service.failureCount()).isZero();
            assertThat(ollama.counters().completed()).isEqualTo(PROBLEMS * 4 - WITH_DESCRIPTION);
            assertThat(ollama.counters().maxInside()).isLessThanOrEqualTo(3);
            for (Path guide : service.guides()) {
                GuideAssertions.assertComplete(guide);
            }
            assertThat(Files.readString(service.output().resolve("question_1.md")))
                    .contains("Given an array of integers nums and an integer target");

            long calls = ollama.counters().received();
            service.drop(SAMPLE, "again.json");
            service.awaitSettled("again.json", Duration.ofSeconds(30));
            assertThat(ollama.counters().received()).as("model calls for a file already done").isEqualTo(calls);
        }
        long calls = ollama.counters().received();
        try (InJvmService restarted = InJvmService.start(dir, fleet())) {
            restarted.drop(SAMPLE, "after-restart.json");
            restarted.awaitSettled("after-restart.json", Duration.ofSeconds(30));
            assertThat(ollama.counters().received()).as("model calls after a restart").isEqualTo(calls);
            assertThat(restarted.guideCount()).isEqualTo(PROBLEMS);
        }
    }
}
