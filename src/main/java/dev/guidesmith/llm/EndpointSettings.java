package dev.guidesmith.llm;

import dev.guidesmith.sim.SimFaults;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.support.Settings;
import java.net.URI;
import java.time.Duration;

/**
 * One model server as configured under {@code llm.endpoint.<name>.*}.
 *
 * @param slots   calls it may run at once (Ollama: OLLAMA_NUM_PARALLEL; llama-server: -np); 0 when not
 *                configured: a server that tells (llama-server's /props) is then believed, others get 1
 * @param weight  its expected speed relative to the others, a prior the scheduler replaces with
 *                what it measures
 * @param context its context size in tokens per slot, or 0 to learn it from the server
 * @param apiKey  sent as a bearer token; never logged
 * @param simulation for {@code api=sim}: how the built-in simulated server behaves
 *                   ({@code llm.endpoint.<name>.sim.*}); null otherwise
 */
public record EndpointSettings(
        String name,
        ApiKind api,
        URI url,
        String model,
        int slots,
        double weight,
        int context,
        String apiKey,
        SimSettings simulation) {

    public static EndpointSettings from(Settings settings, String name) {
        String prefix = "llm.endpoint." + name + ".";
        ApiKind api = ApiKind.parse(name, settings.string(prefix + "api", "ollama"));
        String url = settings.string(prefix + "url", defaultUrl(api));
        int slots = settings.integer(prefix + "slots", 0);
        if (slots < 0) {
            throw new IllegalArgumentException(prefix + "slots=" + slots + ": give the number of calls the server runs at once");
        }
        double weight = settings.decimal(prefix + "weight", 1.0);
        if (weight <= 0) {
            throw new IllegalArgumentException(prefix + "weight=" + weight + " must be above 0");
        }
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + "url=" + url + " is not a valid URL");
        }
        String model = api == ApiKind.LLAMACPP ? settings.string(prefix + "model", "default") : settings.required(prefix + "model");
        int context = settings.integer(prefix + "context", 0);
        SimSettings simulation = api == ApiKind.SIM ? simulation(settings, prefix, name, model, Math.max(1, slots)) : null;
        return new EndpointSettings(name, api, uri, model, slots, weight, context, settings.string(prefix + "api-key", null),
                simulation);
    }

    /** A copy that talks to another address (a simulated server gets its port when it starts). */
    public EndpointSettings withUrl(URI newUrl) {
        return new EndpointSettings(name, api, newUrl, model, slots, weight, context, apiKey, simulation);
    }

    private static SimSettings simulation(Settings settings, String prefix, String name, String model, int slots) {
        String sim = prefix + "sim.";
        SimFaults faults = SimFaults.none()
                .withErrorRate(settings.decimal(sim + "error-rate", 0))
                .withBusyRate(settings.decimal(sim + "busy-rate", 0))
                .withHangRate(settings.decimal(sim + "hang-rate", 0))
                .withStallRate(settings.decimal(sim + "stall-rate", 0))
                .withDieAfterCalls(settings.integer(sim + "die-after-calls", 0));
        return SimSettings.defaults()
                .withName(name)
                .withModels(model)
                .withSlots(slots)
                .withTokenLatency(Duration.ofNanos(Math.round(settings.decimal(sim + "token-latency-ms", 10) * 1e6)))
                .withSpeed(settings.decimal(sim + "speed", 1.0))
                .withReplyTokens(settings.integer(sim + "reply-tokens", 300))
                .withContextTokens(settings.integer(sim + "context", 8192))
                .withSeed(settings.integer(sim + "seed", name.hashCode()))
                .withRecordLimit(1000)
                .withFaults(faults);
    }

    private static String defaultUrl(ApiKind api) {
        return switch (api) {
            case OLLAMA -> "http://localhost:11434";
            case OPENAI, LLAMACPP -> "http://localhost:8080";
            case EMBEDDED, SIM -> "";
        };
    }

    @Override
    public String toString() {
        return name + " (" + api.label() + " " + (url.toString().isEmpty() ? model : url + ", " + model) + ")";
    }
}
