package dev.guidesmith.llm;

import dev.guidesmith.support.Settings;
import java.net.URI;

/**
 * One model server as configured under {@code llm.endpoint.<name>.*}.
 *
 * @param slots   calls it may run at once (Ollama: OLLAMA_NUM_PARALLEL; llama-server: -np); 0 when not
 *                configured: a server that tells (llama-server's /props) is then believed, others get 1
 * @param weight  its expected speed relative to the others, a prior the scheduler replaces with
 *                what it measures
 * @param context its context size in tokens per slot, or 0 to learn it from the server
 * @param apiKey  sent as a bearer token; never logged
 */
public record EndpointSettings(
        String name,
        ApiKind api,
        URI url,
        String model,
        int slots,
        double weight,
        int context,
        String apiKey) {

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
        return new EndpointSettings(name, api, uri, model, slots, weight,
                settings.integer(prefix + "context", 0), settings.string(prefix + "api-key", null));
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
