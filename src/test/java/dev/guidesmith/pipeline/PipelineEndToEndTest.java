package dev.guidesmith.pipeline;

import static dev.guidesmith.testing.RunningService.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.llm.sim.SimSettings;
import dev.guidesmith.llm.sim.SimulatedModelServer;
import dev.guidesmith.testing.GuideAssertions;
import dev.guidesmith.testing.RunningService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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

    private SimulatedModelServer ollama;

    @BeforeEach
    void startServer() {
        ollama = new SimulatedModelServer(SimSettings.defaults().withName("ollama").withSlots(3)
                .withModels("sim-coder").withReplyTokens(120).withTokenLatency(Duration.ofMillis(1))).start();
    }

    @AfterEach
    void stopServer() {
        ollama.close();
    }

    private Map<String, String> fleet() {
        return Map.of(
                "llm.endpoints", "box",
                "llm.endpoint.box.api", "ollama",
                "llm.endpoint.box.url", ollama.baseUri().toString(),
                "llm.endpoint.box.model", "sim-coder",
                "llm.endpoint.box.slots", "3");
    }

    @Test
    void aFileOfProblemsBecomesCompleteGuidesAndIsNeverWorkedTwice() throws Exception {
        try (RunningService service = RunningService.start(dir, fleet())) {
            service.drop(SAMPLE, "leetcode.json");
            await("21 guides", Duration.ofMinutes(2), () -> service.guideCount() == PROBLEMS && service.jobsSettled());
            assertThat(service.failureCount()).isZero();
            assertThat(ollama.counters().completed()).isEqualTo(PROBLEMS * 4 - WITH_DESCRIPTION);
            assertThat(ollama.counters().maxInside()).isLessThanOrEqualTo(3);
            try (Stream<Path> guides = Files.list(service.output())) {
                for (Path guide : guides.toList()) {
                    GuideAssertions.assertComplete(guide);
                }
            }
            assertThat(Files.readString(service.output().resolve("question_1.md")))
                    .contains("Given an array of integers nums and an integer target");

            long calls = ollama.counters().received();
            service.drop(SAMPLE, "again.json");
            await("the second drop to settle", Duration.ofSeconds(30), () -> Files.exists(service.inbox().resolve(".done/again.json"))
                    && service.jobsSettled());
            assertThat(ollama.counters().received()).as("model calls for a file already done").isEqualTo(calls);
        }
        long calls = ollama.counters().received();
        try (RunningService restarted = RunningService.start(dir, fleet())) {
            restarted.drop(SAMPLE, "after-restart.json");
            await("the drop after restart to settle", Duration.ofSeconds(30),
                    () -> Files.exists(restarted.inbox().resolve(".done/after-restart.json")) && restarted.jobsSettled());
            assertThat(ollama.counters().received()).as("model calls after a restart").isEqualTo(calls);
            assertThat(restarted.guideCount()).isEqualTo(PROBLEMS);
        }
    }
}
