package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.llm.EndpointState;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.testkit.Workloads;
import dev.guidesmith.testing.LogCapture;
import dev.guidesmith.testkit.InJvmService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model name a user types: a llama.cpp server runs one model and answers to any name, so any
 * name joins the fleet (the guides record the model the server reported); Ollama and vLLM refuse
 * a model they do not have, and only such a refusal makes an endpoint misconfigured.
 */
class ModelNamesTest {

    static final SimSettings SERVER = SimSettings.defaults().withSlots(2).withReplyTokens(80)
            .withTokenLatency(Duration.ZERO).withModels("stories260K-q8");

    @TempDir
    Path dir;

    private static Map<String, String> endpoint(String api, SimulatedModelServer server, String model) {
        return Map.of(
                "llm.endpoints", "box",
                "llm.endpoint.box.api", api,
                "llm.endpoint.box.url", server.baseUri().toString(),
                "llm.endpoint.box.model", model,
                "llm.endpoint.box.slots", "2",
                "llm.health.interval-seconds", "1");
    }

    @Test
    void aLlamaCppServerServesUnderTheNameTheUserTyped() throws Exception {
        try (SimulatedModelServer llamaServer = new SimulatedModelServer(SERVER.withAnyModelName(true)).start();
             LogCapture log = new LogCapture();
             InJvmService service = InJvmService.start(dir, endpoint("openai", llamaServer, "stories260K"))) {
            service.drop(Workloads.problems(dir.resolve("p.jsonl"), 1, 3), "p.jsonl");
            service.awaitSettled("p.jsonl", Duration.ofMinutes(1));
            assertThat(service.failureCount()).isZero();
            assertThat(service.guideCount()).isEqualTo(3);
            assertThat(Files.readString(service.output().resolve("question_1.md")))
                    .as("the front matter records the model the server reported")
                    .contains("/models/stories260K-q8.gguf");
            assertThat(log.text()).contains("the server runs /models/stories260K-q8.gguf and answers to 'stories260K' with it");
        }
    }

    @Test
    void anOpenAiServerThatRefusesTheNameIsMisconfigured() throws Exception {
        try (SimulatedModelServer vllm = new SimulatedModelServer(SERVER).start();
             InJvmService service = InJvmService.start(dir, endpoint("openai", vllm, "stories260K"))) {
            assertMisconfigured(service, "does not serve 'stories260K'");
        }
    }

    @Test
    void anOllamaServerWithoutTheModelIsMisconfigured() throws Exception {
        try (SimulatedModelServer ollama = new SimulatedModelServer(SERVER).start();
             InJvmService service = InJvmService.start(dir, endpoint("ollama", ollama, "stories260K"))) {
            assertMisconfigured(service, "ollama pull stories260K");
        }
    }

    private static void assertMisconfigured(InJvmService service, String reason) throws Exception {
        ModelFleet fleet = service.bean("fleet", ModelFleet.class);
        await("the endpoint to be checked", Duration.ofSeconds(20),
                () -> fleet.endpoint("box").state() != EndpointState.UNKNOWN);
        assertThat(fleet.endpoint("box").state()).isEqualTo(EndpointState.MISCONFIGURED);
        assertThat(fleet.endpoint("box").stateReason()).contains(reason);
    }
}
