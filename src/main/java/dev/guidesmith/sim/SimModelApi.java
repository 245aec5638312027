package dev.guidesmith.sim;

import dev.guidesmith.llm.ClientWiring;
import dev.guidesmith.llm.EndpointSettings;
import dev.guidesmith.llm.ModelApi;
import dev.guidesmith.llm.ModelClient;
import dev.guidesmith.support.Settings;
import java.time.Duration;

/**
 * {@code api=sim}: the built-in simulated server (demo, tests, benchmarks), started by the endpoint
 * and spoken to over Ollama's API. It is shaped by the endpoint's {@code llm.endpoint.<name>.sim.*}
 * keys, which only this class reads.
 */
public final class SimModelApi implements ModelApi {

    @Override
    public String name() {
        return "sim";
    }

    /** None: the server gets a free loopback port when it starts. */
    @Override
    public String defaultUrl() {
        return "";
    }

    @Override
    public ModelClient client(EndpointSettings endpoint, ClientWiring wiring) {
        return SimulatedEndpoint.start(endpoint, simulation(endpoint), wiring);
    }

    /** How the endpoint's simulated server behaves, from {@code llm.endpoint.<name>.sim.*}. */
    static SimSettings simulation(EndpointSettings endpoint) {
        Settings settings = endpoint.settings();
        SimFaults faults = SimFaults.none()
                .withErrorRate(settings.decimal(endpoint.key("sim.error-rate"), 0))
                .withBusyRate(settings.decimal(endpoint.key("sim.busy-rate"), 0))
                .withHangRate(settings.decimal(endpoint.key("sim.hang-rate"), 0))
                .withStallRate(settings.decimal(endpoint.key("sim.stall-rate"), 0))
                .withDieAfterCalls(settings.integer(endpoint.key("sim.die-after-calls"), 0));
        // sim.parallelism: a contended server that hides how many requests it runs at once (for slots=auto)
        int parallelism = settings.integer(endpoint.key("sim.parallelism"), 0);
        SimSettings shape = parallelism > 0 ? SimSettings.defaults().withParallelism(parallelism)
                : SimSettings.defaults().withSlots(Math.max(1, endpoint.slots()));
        return shape
                .withName(endpoint.name())
                .withModels(endpoint.model())
                .withTokenLatency(Duration.ofNanos(Math.round(settings.decimal(endpoint.key("sim.token-latency-ms"), 10) * 1e6)))
                .withSpeed(settings.decimal(endpoint.key("sim.speed"), 1.0))
                .withReplyTokens(settings.integer(endpoint.key("sim.reply-tokens"), 300))
                .withContextTokens(settings.integer(endpoint.key("sim.context"), 8192))
                .withSeed(settings.integer(endpoint.key("sim.seed"), endpoint.name().hashCode()))
                .withBrokenCodeRate(settings.decimal(endpoint.key("sim.broken-code-rate"), 0))
                .withRecordLimit(1000)
                .withFaults(faults);
    }
}
