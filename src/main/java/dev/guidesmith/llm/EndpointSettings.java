package dev.guidesmith.llm;

import dev.guidesmith.support.Settings;
import java.net.URI;
import java.util.OptionalInt;

/**
 * One model server as configured under {@code llm.endpoint.<name>.*}.
 *
 * @param api     the API it speaks ({@code llm.endpoint.<name>.api})
 * @param slots   calls it may run at once (Ollama: OLLAMA_NUM_PARALLEL; llama-server: -np); 0 when not
 *                configured: a server that tells (llama-server's /props) is then believed, others get 1;
 *                also 0 for {@code auto} (see {@link #autoSlots()})
 * @param weight  its expected speed relative to the others, a prior the scheduler replaces with
 *                what it measures
 * @param context its context size in tokens per slot, or 0 to learn it from the server
 * @param apiKey  sent as a bearer token; never logged
 * @param settings the settings it was read from, where its API finds keys of its own
 *                 ({@code llm.endpoint.<name>.<api>.*}, named by {@link #key(String)}); null when made in code
 */
public record EndpointSettings(
        String name,
        ModelApi api,
        URI url,
        String model,
        int slots,
        double weight,
        int context,
        String apiKey,
        Settings settings) {

    /** The default of {@code llm.endpoint.<name>.max-slots}. */
    public static final int DEFAULT_MAX_SLOTS = 16;

    public static EndpointSettings from(Settings settings, String name) {
        String prefix = "llm.endpoint." + name + ".";
        ModelApi api = ModelApis.named(name, settings.string(prefix + "api", OllamaModelApi.NAME));
        String url = settings.string(prefix + "url", api.defaultUrl());
        boolean auto = "auto".equalsIgnoreCase(settings.string(prefix + "slots", "").trim());
        if (auto && api instanceof EmbeddedModelApi) {
            throw new IllegalArgumentException(prefix + "slots=auto is for model servers: the in-process engine runs as many"
                    + " contexts as it is given, so give it a number");
        }
        int slots;
        try {
            slots = auto ? 0 : settings.integer(prefix + "slots", 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ": give the number of calls the server runs at once, or auto"
                    + " to find it by measurement");
        }
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
        String model = api.defaultModel() != null ? settings.string(prefix + "model", api.defaultModel())
                : settings.required(prefix + "model");
        int context = settings.integer(prefix + "context", 0);
        return new EndpointSettings(name, api, uri, model, slots, weight, context, settings.string(prefix + "api-key", null),
                settings);
    }

    /**
     * Whether a request naming {@code requested} as its model is for this endpoint: its model, or one
     * of {@code llm.endpoint.<name>.aliases} ({@code x} and {@code x:latest} are the same, as in Ollama).
     */
    public boolean answersTo(String requested) {
        if (requested == null || requested.isBlank()) {
            return false;
        }
        String bare = requested.endsWith(":latest") ? requested.substring(0, requested.length() - ":latest".length()) : requested;
        for (String name : names()) {
            if (name.equals(requested) || name.equals(bare) || name.equals(bare + ":latest")) {
                return true;
            }
        }
        return false;
    }

    /**
     * How long an Ollama server keeps the model loaded after a call ({@code llm.endpoint.<name>.keep-alive},
     * default 30m): a long run must not pay for loading the model again and again.
     */
    public String keepAlive() {
        return settings == null ? "30m" : settings.string(key("keep-alive"), "30m");
    }

    /**
     * The sampling seed of an in-process model ({@code llm.endpoint.<name>.seed}; empty: a new one per
     * call): with a seed, the same prompt gets the same reply, run after run.
     */
    public OptionalInt seed() {
        String seed = settings == null ? null : settings.string(key("seed"), null);
        if (seed == null || seed.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(seed.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key("seed") + "=" + seed + " must be a whole number (or empty for none)");
        }
    }

    /**
     * Calls sent to the server beyond its slots, to wait in the server's own queue
     * ({@code llm.endpoint.<name>.queue-depth}, default 0): when a slot frees, the server starts the next
     * call at once instead of idling while the service sends one.
     */
    public int queueDepth() {
        int depth = settings == null ? 0 : settings.integer(key("queue-depth"), 0);
        if (depth < 0) {
            throw new IllegalArgumentException(key("queue-depth") + "=" + depth + " must be 0 or more");
        }
        return depth;
    }

    /**
     * Whether its slots are found by measurement ({@code llm.endpoint.<name>.slots=auto}, see {@link SlotTuner}); then
     * {@link #slots()} is 0.
     */
    public boolean autoSlots() {
        return settings != null && "auto".equalsIgnoreCase(settings.string(key("slots"), "").trim());
    }

    /** The most slots {@code slots=auto} tries ({@code llm.endpoint.<name>.max-slots}, default 16). */
    public int maxSlots() {
        int max = settings == null ? DEFAULT_MAX_SLOTS : settings.integer(key("max-slots"), DEFAULT_MAX_SLOTS);
        if (max < 1) {
            throw new IllegalArgumentException(key("max-slots") + "=" + max + " must be 1 or more");
        }
        return max;
    }

    /**
     * The most slots it may run: its slots; its max-slots when it finds them by measurement
     * ({@code slots=auto}) or is left to tell its own (llama-server's {@code -np}, learned once it answers);
     * 1 when left out where no server tells.
     */
    public int mostSlots() {
        if (autoSlots() || (slots == 0 && api.mayReportSlots())) {
            return maxSlots();
        }
        return Math.max(1, slots);
    }

    /** The tuner of an endpoint with {@code slots=auto}, shaped by the fleet-wide {@code llm.auto-slots.*} keys. */
    SlotTuner slotTuner(long now) {
        return new SlotTuner(name, maxSlots(),
                settings.decimal("llm.auto-slots.min-gain", 0.10),
                settings.integer("llm.auto-slots.window-calls", 8),
                java.time.Duration.ofNanos(Math.round(settings.decimal("llm.auto-slots.recheck-minutes", 10) * 60e9)),
                now);
    }

    /** Its model and its aliases. */
    public java.util.List<String> names() {
        java.util.List<String> names = new java.util.ArrayList<>();
        names.add(model);
        if (settings != null) {
            names.addAll(settings.list(key("aliases")));
        }
        return names;
    }

    /** The full name of one of this endpoint's keys: {@code key("x.y")} is {@code llm.endpoint.<name>.x.y}. */
    public String key(String suffix) {
        return "llm.endpoint." + name + "." + suffix;
    }

    /**
     * A copy that reaches the same model over another API at another address (the simulated server
     * speaks Ollama's API on the port it gets when it starts).
     */
    public EndpointSettings withApi(ModelApi newApi, URI newUrl) {
        return new EndpointSettings(name, newApi, newUrl, model, slots, weight, context, apiKey, settings);
    }

    @Override
    public String toString() {
        return name + " (" + api.name() + " " + (url.toString().isEmpty() ? model : url + ", " + model) + ")";
    }
}
