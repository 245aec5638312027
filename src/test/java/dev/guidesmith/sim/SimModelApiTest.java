package dev.guidesmith.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guidesmith.camel.CamelModelHttp;
import dev.guidesmith.llm.CallTimeouts;
import dev.guidesmith.llm.ChatCall;
import dev.guidesmith.llm.ChatMessage;
import dev.guidesmith.llm.ClientWiring;
import dev.guidesmith.llm.EndpointSettings;
import dev.guidesmith.llm.ModelClient;
import dev.guidesmith.llm.ModelReply;
import dev.guidesmith.llm.TokenEstimate;
import dev.guidesmith.support.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code api=sim}: the endpoint's {@code sim.*} keys shape the server it starts, and its replies say they are simulated. */
class SimModelApiTest {

    private static Settings settings(Map<String, String> values) {
        return new Settings(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void theEndpointsSimKeysShapeTheServer() {
        EndpointSettings endpoint = EndpointSettings.from(settings(Map.of(
                "llm.endpoint.gpu.api", "sim",
                "llm.endpoint.gpu.model", "sim-coder",
                "llm.endpoint.gpu.slots", "4",
                "llm.endpoint.gpu.sim.speed", "2",
                "llm.endpoint.gpu.sim.token-latency-ms", "0.5",
                "llm.endpoint.gpu.sim.reply-tokens", "50",
                "llm.endpoint.gpu.sim.error-rate", "0.1",
                "llm.endpoint.gpu.sim.seed", "7")), "gpu");
        SimSettings sim = SimModelApi.simulation(endpoint);
        assertThat(sim.name()).isEqualTo("gpu");
        assertThat(sim.models()).containsExactly("sim-coder");
        assertThat(sim.slots()).isEqualTo(4);
        assertThat(sim.speed()).isEqualTo(2.0);
        assertThat(sim.tokenLatency()).isEqualTo(Duration.ofNanos(500_000));
        assertThat(sim.replyTokens()).isEqualTo(50);
        assertThat(sim.faults().errorRate()).isEqualTo(0.1);
        assertThat(sim.seed()).isEqualTo(7);
        assertThat(endpoint).hasToString("gpu (sim sim-coder)");
    }

    @Test
    void aBadSimKeyIsRefusedByName() {
        EndpointSettings endpoint = EndpointSettings.from(settings(Map.of(
                "llm.endpoint.gpu.api", "sim", "llm.endpoint.gpu.model", "m", "llm.endpoint.gpu.sim.speed", "fast")), "gpu");
        assertThatThrownBy(() -> SimModelApi.simulation(endpoint))
                .hasMessage("Setting llm.endpoint.gpu.sim.speed=fast is not a number");
    }

    @Test
    void itsRepliesAreMarkedSimulated() throws Exception {
        Settings settings = settings(Map.of(
                "llm.endpoint.box.api", "sim",
                "llm.endpoint.box.model", "sim-coder",
                "llm.endpoint.box.sim.token-latency-ms", "0",
                "llm.endpoint.box.sim.reply-tokens", "20"));
        EndpointSettings endpoint = EndpointSettings.from(settings, "box");
        try (CamelModelHttp http = CamelModelHttp.standalone();
             ModelClient client = endpoint.api().client(endpoint, new ClientWiring(CallTimeouts.from(settings), http))) {
            assertThat(client.probe().isHealthy()).isTrue();
            List<ChatMessage> messages = List.of(ChatMessage.user("Explain two sum."));
            ModelReply reply = client.call(new ChatCall(messages, null, 100, 0.2, TokenEstimate.of(messages), 4096));
            assertThat(reply.simulated()).isTrue();
            assertThat(reply.text()).startsWith("[simulated]");
            assertThat(reply.endpoint()).isEqualTo("box");
        }
    }
}
