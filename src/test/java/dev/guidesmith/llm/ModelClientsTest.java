package dev.guidesmith.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.camel.CamelModelHttp;
import dev.guidesmith.sim.SimFaults;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.support.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each API client against the simulated server speaking that API's wire format, errors included:
 * replies and token counts, JSON-schema replies, cut-off replies, context overflow, unknown
 * models, server errors, busy servers and hung servers, and the health probe.
 */
class ModelClientsTest {

    private static final String MODEL = "sim-coder";
    private static CamelModelHttp http;
    private SimulatedModelServer server;
    private ModelClient client;

    @BeforeAll
    static void startHttp() {
        http = CamelModelHttp.standalone();
    }

    @AfterAll
    static void stopHttp() {
        http.stop();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private ModelClient clientFor(String api, SimSettings sim, String model, double idleSeconds) {
        return clientFor(api, sim, model, idleSeconds, Duration.ofSeconds(60));
    }

    private ModelClient clientFor(String api, SimSettings sim, String model, double idleSeconds, Duration callTimeout) {
        server = new SimulatedModelServer(sim.withModels(MODEL)).start();
        EndpointSettings endpoint = new EndpointSettings("box", ModelApis.named("box", api), server.baseUri(), model, 1, 1.0, 0,
                null, null);
        CallTimeouts timeouts = new CallTimeouts(Duration.ofMillis((long) (idleSeconds * 1000)), callTimeout,
                Duration.ofSeconds(5), Duration.ofSeconds(5));
        client = endpoint.api().client(endpoint, new ClientWiring(timeouts, http));
        return client;
    }

    private ModelClient clientFor(String api, SimSettings sim) {
        return clientFor(api, sim, MODEL, 10);
    }

    private static ChatCall call(String prompt, JsonNode schema, int maxTokens, int context) {
        List<ChatMessage> messages = List.of(ChatMessage.user(prompt));
        return new ChatCall(messages, schema, maxTokens, 0.2, TokenEstimate.of(messages), context);
    }

    private static JsonNode schema(String stage) throws Exception {
        return Json.MAPPER.readTree(Path.of("routes/prompts/" + stage + ".schema.json").toFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ollama", "openai", "llamacpp"})
    void aTextCallReturnsTheReplyAndItsTokenCounts(String api) throws Exception {
        ModelReply reply = clientFor(api, SimSettings.defaults().withReplyTokens(50)).call(call("Explain two sum.", null, 500, 4096));
        assertThat(reply.text()).contains("[simulated]");
        assertThat(reply.promptTokens()).isPositive();
        assertThat(reply.outputTokens()).isBetween(40, 60);
        assertThat(reply.endpoint()).isEqualTo("box");
        assertThat(server.counters().completed()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ollama", "openai", "llamacpp"})
    void aDataCallReturnsJsonThatFollowsTheStageSchema(String api) throws Exception {
        ModelClient client = clientFor(api, SimSettings.defaults().withReplyTokens(200));
        for (String stage : List.of("topics", "approaches", "solutions")) {
            ModelRequest request = new ModelRequest(stage, 0, "problem 1", budget -> List.of(), schema(stage), 1000, 0.2, Set.of());
            ModelReply reply = client.call(call("Analyse two sum.", schema(stage), 1000, 4096));
            ModelReply checked = new ReplyValidator().check(request, reply);
            assertThat(checked.json()).as(stage).isNotNull();
        }
        assertThat(server.calls()).allSatisfy(record -> assertThat(record.schemaRequested()).isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ollama", "openai", "llamacpp"})
    void aReplyCutAtItsLengthLimitIsNotTrusted(String api) {
        ModelClient client = clientFor(api, SimSettings.defaults().withReplyTokens(200));
        assertThatThrownBy(() -> client.call(call("Explain.", null, 20, 4096)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TRUNCATED))
                .hasMessageContaining("length limit of 20 tokens");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ollama", "openai", "llamacpp"})
    void aPromptOverTheContextIsAContextOverflow(String api) {
        ModelClient client = clientFor(api, SimSettings.defaults().withContextTokens(256));
        assertThatThrownBy(() -> client.call(call("word ".repeat(600), null, 50, 256)))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(FailureKind.CONTEXT_OVERFLOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ollama", "openai"})
    void anUnknownModelIsAMisconfigurationWithItsFix(String api) {
        ModelClient client = clientFor(api, SimSettings.defaults(), "no-such-model", 10);
        assertThatThrownBy(() -> client.call(call("Hi.", null, 50, 4096)))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(FailureKind.MODEL_NOT_FOUND))
                .hasMessageContaining("no-such-model");
        EndpointProbe probe = client.probe();
        assertThat(probe.failure()).isEqualTo(FailureKind.MODEL_NOT_FOUND);
        assertThat(probe.message()).contains("no-such-model").contains("llm.endpoint.box.model");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ollama", "openai", "llamacpp"})
    void serverErrorsAndBusyServersAreRetryableFailuresOfTheEndpoint(String api) {
        ModelClient client = clientFor(api, SimSettings.defaults().withFaults(SimFaults.none().withErrorRate(1.0)));
        assertThatThrownBy(() -> client.call(call("Hi.", null, 50, 4096)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.SERVER_ERROR);
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.kind().endpointFault()).isTrue();
                });
        server.setFaults(SimFaults.none().withBusyRate(1.0));
        assertThatThrownBy(() -> client.call(call("Hi.", null, 50, 4096)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.BUSY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ollama", "openai", "llamacpp"})
    void aHungServerIsAbandonedAfterTheIdleTimeout(String api) {
        ModelClient client = clientFor(api, SimSettings.defaults().withFaults(SimFaults.none().withHangRate(1.0)), MODEL, 1);
        assertThatThrownBy(() -> client.call(call("Hi.", null, 50, 4096)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.IDLE_TIMEOUT));
        server.setFaults(SimFaults.none().withStallRate(1.0));
        assertThatThrownBy(() -> client.call(call("Hi.", null, 500, 4096)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.IDLE_TIMEOUT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ollama", "openai", "llamacpp"})
    void aCallPastItsDeadlineEndsThereEvenInTheMiddleOfAWait(String api) {
        // the stalled stream would hold the read for the idle timeout (10 s); the deadline (1 s) comes first
        ModelClient client = clientFor(api, SimSettings.defaults().withReplyTokens(200)
                .withFaults(SimFaults.none().withStallRate(1.0)), MODEL, 10, Duration.ofSeconds(1));
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.call(call("Hi.", null, 500, 4096)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CALL_TIMEOUT))
                .hasMessageContaining("llm.call-timeout-seconds=1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ollama", "openai", "llamacpp"})
    void aDownServerIsUnreachable(String api) {
        ModelClient client = clientFor(api, SimSettings.defaults());
        server.stop();
        assertThatThrownBy(() -> client.call(call("Hi.", null, 50, 4096)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.UNREACHABLE))
                .hasMessageContaining("is the server running");
        assertThat(client.probe().failure()).isEqualTo(FailureKind.UNREACHABLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "llamacpp"})
    void theProbeLearnsSlotsAndPerSlotContextFromLlamaServer(String api) {
        EndpointProbe probe = clientFor(api, SimSettings.defaults().withSlots(3).withContextTokens(2048)).probe();
        assertThat(probe.isHealthy()).isTrue();
        assertThat(probe.slots()).isEqualTo(3);
        assertThat(probe.context()).isEqualTo(2048);
    }

    @org.junit.jupiter.api.Test
    void ollamaSilentlyCuttingThePromptIsCaught() {
        ModelClient client = clientFor("ollama", SimSettings.defaults().withContextTokens(256)
                .withFaults(SimFaults.none().withSilentTruncation(true)));
        // the server's own context (256) is smaller than the one the prompt was fitted to (4096)
        assertThatThrownBy(() -> client.call(new ChatCall(List.of(ChatMessage.user("word ".repeat(800))), null, 50, 0.2,
                TokenEstimate.of("word ".repeat(800)), 256)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.PROMPT_TRUNCATED))
                .hasMessageContaining("prompt_eval_count");
    }
}
