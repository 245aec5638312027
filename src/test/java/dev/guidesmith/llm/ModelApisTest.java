package dev.guidesmith.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guidesmith.support.Settings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The APIs an endpoint can name are the ones registered for ServiceLoader, and nothing else. */
class ModelApisTest {

    private static Settings settings(Map<String, String> values) {
        return new Settings(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void theServiceLoaderFindsTheFourBuiltInApisAndTheSimulator() {
        assertThat(ModelApis.names()).containsExactly("ollama", "openai", "llamacpp", "embedded", "sim");
    }

    @Test
    void anUnknownApiIsRefusedAtStartWithTheKnownNames() {
        Settings settings = settings(Map.of("llm.endpoint.box.api", "olama", "llm.endpoint.box.model", "m"));
        assertThatThrownBy(() -> EndpointSettings.from(settings, "box"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("llm.endpoint.box.api=olama is not a known API: use ollama, openai, llamacpp, embedded or sim");
    }

    @Test
    void anEndpointThatSaysLittleGetsItsApisDefaults() {
        EndpointSettings ollama = EndpointSettings.from(settings(Map.of("llm.endpoint.a.model", "m")), "a");
        assertThat(ollama.api().name()).isEqualTo("ollama");
        assertThat(ollama).hasToString("a (ollama http://localhost:11434, m)");

        EndpointSettings llamaCpp = EndpointSettings.from(settings(Map.of("llm.endpoint.b.api", " LlamaCpp ")), "b");
        assertThat(llamaCpp).hasToString("b (llamacpp http://localhost:8080, default)");

        assertThatThrownBy(() -> EndpointSettings.from(settings(Map.of("llm.endpoint.c.api", "openai")), "c"))
                .hasMessageContaining("llm.endpoint.c.model is missing");
    }
}
