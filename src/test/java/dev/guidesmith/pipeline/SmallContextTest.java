package dev.guidesmith.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.sim.Outcome;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.testing.GuideAssertions;
import dev.guidesmith.testkit.InJvmService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A llama-server with 1,024 tokens per slot (the size of {@code -c 2048 -np 2}): the service learns
 * the per-slot context from /slots, gives each reply at most half of it and shortens the prompts to
 * the rest, so every guide is produced and the server never refuses a request for its size.
 */
class SmallContextTest {

    @TempDir
    Path dir;

    @Test
    void guidesAreProducedAndNoRequestIsRefusedForItsSize() throws Exception {
        SimSettings llamaServer = SimSettings.defaults().withName("small").withSlots(2).withContextTokens(1024)
                .withReplyTokens(250).withModels("qwen").withTokenLatency(Duration.ofMillis(1));
        try (SimulatedModelServer server = new SimulatedModelServer(llamaServer).start()) {
            Map<String, String> settings = Map.of(
                    "llm.endpoints", "small",
                    "llm.endpoint.small.api", "llamacpp",
                    "llm.endpoint.small.url", server.baseUri().toString());
            try (InJvmService service = InJvmService.start(dir, settings)) {
                service.drop(PipelineEndToEndTest.SAMPLE, "sample.json");
                service.awaitSettled("sample.json", Duration.ofMinutes(3));
                assertThat(service.failureCount()).isZero();
                assertThat(service.guideCount()).isEqualTo(PipelineEndToEndTest.PROBLEMS);
                for (Path guide : service.guides()) {
                    GuideAssertions.assertComplete(guide);
                }
            }
            assertThat(server.counters().count(Outcome.CONTEXT_OVERFLOW)).as("requests refused for their size").isZero();
            assertThat(server.counters().count(Outcome.LENGTH)).as("replies cut at the context").isZero();
            assertThat(server.calls()).allSatisfy(call -> assertThat(call.promptTokens() + call.outputTokens())
                    .isLessThanOrEqualTo(1024));
            assertThat(server.counters().maxInside()).isLessThanOrEqualTo(2);
        }
    }
}
