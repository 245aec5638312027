package dev.guidesmith.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guidesmith.support.Settings;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How {@code llm.endpoint.<name>.slots=auto} and its keys are read, and the errors a user gets. */
class AutoSlotsSettingsTest {

    private static EndpointSettings endpoint(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(Map.of("llm.endpoint.gpu.api", "ollama", "llm.endpoint.gpu.model", "m"));
        all.putAll(values);
        return EndpointSettings.from(new Settings(key -> Optional.ofNullable(all.get(key))), "gpu");
    }

    @Test
    void autoIsMeasuredUpToMaxSlotsAndANumberStaysANumber() {
        EndpointSettings auto = endpoint(Map.of("llm.endpoint.gpu.slots", " Auto "));
        assertThat(auto.autoSlots()).isTrue();
        assertThat(auto.slots()).isZero();
        assertThat(auto.maxSlots()).isEqualTo(EndpointSettings.DEFAULT_MAX_SLOTS);
        assertThat(auto.slotTuner(0).slots()).isEqualTo(1);
        assertThat(endpoint(Map.of("llm.endpoint.gpu.slots", "auto", "llm.endpoint.gpu.max-slots", "6")).maxSlots()).isEqualTo(6);

        EndpointSettings fixed = endpoint(Map.of("llm.endpoint.gpu.slots", "3"));
        assertThat(fixed.autoSlots()).isFalse();
        assertThat(fixed.slots()).isEqualTo(3);
    }

    @Test
    void theQueuesAreSizedForWhatTheServersMayRunIncludingWhatTheyQueue() {
        Map<String, String> values = new HashMap<>(Map.of("llm.endpoints", "gpu,cpu,llama,ollama",
                "llm.endpoint.gpu.api", "ollama", "llm.endpoint.gpu.model", "m", "llm.endpoint.gpu.slots", "auto",
                "llm.endpoint.gpu.max-slots", "8",
                "llm.endpoint.cpu.api", "ollama", "llm.endpoint.cpu.model", "m", "llm.endpoint.cpu.slots", "2",
                "llm.endpoint.cpu.queue-depth", "1"));
        // left out: llama-server says how many it runs (up to max-slots); Ollama never does, so it gets 1
        values.putAll(Map.of("llm.endpoint.llama.api", "llamacpp", "llm.endpoint.llama.max-slots", "4",
                "llm.endpoint.ollama.api", "ollama", "llm.endpoint.ollama.model", "m"));
        assertThat(FleetSettings.from(new Settings(key -> Optional.ofNullable(values.get(key)))).mostCallsAtOnce())
                .isEqualTo(8 + 2 + 1 + 4 + 1);
    }

    @Test
    void mistakesSayWhatToWrite() {
        assertThatThrownBy(() -> endpoint(Map.of("llm.endpoint.gpu.slots", "many")))
                .hasMessageContaining("llm.endpoint.gpu.slots=many").hasMessageContaining("or auto");
        assertThatThrownBy(() -> endpoint(Map.of("llm.endpoint.gpu.slots", "auto", "llm.endpoint.gpu.max-slots", "0")).maxSlots())
                .hasMessageContaining("llm.endpoint.gpu.max-slots=0 must be 1 or more");
        assertThatThrownBy(() -> endpoint(Map.of("llm.endpoint.gpu.api", "embedded", "llm.endpoint.gpu.slots", "auto")))
                .hasMessageContaining("slots=auto is for model servers");
        assertThatThrownBy(() -> endpoint(Map.of("llm.endpoint.gpu.slots", "auto", "llm.auto-slots.min-gain", "0")).slotTuner(0))
                .hasMessageContaining("llm.auto-slots.min-gain=0.0 must be above 0");
    }
}
