package dev.guidesmith.sim;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a simulated model server behaves. Immutable; start from {@link #defaults()} and change fields with the
 * {@code with...} methods.
 *
 * @param name               a label for logs and {@code /props}
 * @param slots              generation requests processed at once; more wait inside the server, first come first served
 * @param tokenLatency       time to produce one output token at speed 1 (0 = "instant")
 * @param promptTokenLatency time to read one prompt token at speed 1, spent before the first output token
 * @param speed              how fast this server is: every latency is divided by it (2.0 = twice as fast)
 * @param replyTokens        size of a full reply in tokens (a token is 4 characters)
 * @param contextTokens      the context size in tokens (per slot for llama-server; Ollama's default {@code num_ctx})
 * @param models             model names served; the first one answers requests that name no model
 * @param faults             faults injected at start; change them at runtime with
 *                           {@link SimulatedModelServer#setFaults(SimFaults)}
 * @param seed               makes replies and fault draws reproducible
 * @param loadTime           after each start, the model is "loading" this long: {@code /health} and the llama-server and
 *                           OpenAI generation endpoints answer 503 "Loading model"; Ollama requests wait for it
 * @param recordLimit        at most this many {@link CallRecord}s are kept (the oldest are dropped first)
 * @param anyModelName       llama-server's manner: the first model answers whatever model a request names,
 *                           {@code /v1/models} lists it by its file path ({@code owned_by: llamacpp}) and replies
 *                           name that path; otherwise (Ollama, vLLM) an unknown model is refused with 404
 * @param promptCache        each slot keeps the prompt it last processed and a request reuses the prefix it shares
 *                           with it: those tokens cost no {@code promptTokenLatency} and are reported as cached, and a
 *                           request takes the free slot that holds most of its prompt (llama-server's choice); off,
 *                           every prompt token is evaluated
 * @param brokenCodeRate     the share of JSON replies with code fields ({@code python}, {@code cpp}, ...) whose code is
 *                           broken on purpose (Python missing a colon, C++ missing a semicolon: what a parser or a
 *                           compiler rejects); a prompt that quotes a compiler's or interpreter's error
 *                           ({@code error:}, {@code SyntaxError:}) always gets code that is not broken
 * @param replyTokensPerPromptToken a full reply grows by this many tokens per prompt token, so work varies with
 *                           the problem (a longer statement, a longer answer); 0 (the default) keeps every full
 *                           reply {@code replyTokens} long
 * @param scaling            how the server's throughput grows with the requests it processes at once: with {@code n}
 *                           of them its total rate is {@code n^scaling} times one request's, shared equally, so each
 *                           runs {@code n^(scaling-1)} as fast as alone; 1 (the default) = every slot as fast as one
 *                           alone, below 1 = slots contend (see {@link #withParallelism(int)})
 */
public record SimSettings(
        String name,
        int slots,
        Duration tokenLatency,
        Duration promptTokenLatency,
        double speed,
        int replyTokens,
        int contextTokens,
        List<String> models,
        SimFaults faults,
        long seed,
        Duration loadTime,
        int recordLimit,
        boolean anyModelName,
        boolean promptCache,
        double brokenCodeRate,
        double replyTokensPerPromptToken,
        double scaling) {

    /** How a contended server's throughput grows with the requests it processes at once: total ∝ n^0.8. */
    public static final double CONTENDED_SCALING = 0.8;

    /** Characters per token, for prompts and replies alike. */
    public static final int CHARS_PER_TOKEN = 4;

    public SimSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tokenLatency, "tokenLatency");
        Objects.requireNonNull(promptTokenLatency, "promptTokenLatency");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(loadTime, "loadTime");
        models = List.copyOf(Objects.requireNonNull(models, "models"));
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1: " + slots);
        }
        if (tokenLatency.isNegative() || promptTokenLatency.isNegative() || loadTime.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be > 0: " + speed);
        }
        if (replyTokens < 1) {
            throw new IllegalArgumentException("replyTokens must be >= 1: " + replyTokens);
        }
        if (contextTokens < 1) {
            throw new IllegalArgumentException("contextTokens must be >= 1: " + contextTokens);
        }
        if (models.isEmpty() || models.stream().anyMatch(m -> m == null || m.isBlank())) {
            throw new IllegalArgumentException("at least one non-blank model name is needed: " + models);
        }
        if (!(brokenCodeRate >= 0 && brokenCodeRate <= 1)) {
            throw new IllegalArgumentException("brokenCodeRate must be within [0, 1]: " + brokenCodeRate);
        }
        if (!(replyTokensPerPromptToken >= 0) || Double.isInfinite(replyTokensPerPromptToken)) {
            throw new IllegalArgumentException("replyTokensPerPromptToken must be >= 0: " + replyTokensPerPromptToken);
        }
        if (!(scaling > 0 && scaling <= 1)) {
            throw new IllegalArgumentException("scaling must be within (0, 1]: " + scaling);
        }
        if (recordLimit < 0) {
            throw new IllegalArgumentException("recordLimit must be >= 0: " + recordLimit);
        }
    }

    /**
     * One instant slot, 400-token replies, a 4096-token context, model {@code sim-model}, no faults, seed 42, the
     * prompt cache on.
     */
    public static SimSettings defaults() {
        return new SimSettings("sim", 1, Duration.ZERO, Duration.ZERO, 1.0, 400, 4096,
                List.of("sim-model"), SimFaults.none(), 42L, Duration.ZERO, 100_000, false, true, 0, 0, 1.0);
    }

    public SimSettings withName(String value) {
        return new SimSettings(value, slots, tokenLatency, promptTokenLatency, speed, replyTokens, contextTokens,
                models, faults, seed, loadTime, recordLimit, anyModelName, promptCache, brokenCodeRate, replyTokensPerPromptToken, scaling);
    }

    public SimSettings withSlots(int value) {
        return new SimSettings(name, value, tokenLatency, promptTokenLatency, speed, replyTokens, contextTokens,
                models, faults, seed, loadTime, recordLimit, anyModelName, promptCache, brokenCodeRate, replyTokensPerPromptToken, scaling);
    }

    public SimSettings withTokenLatency(Duration value) {
        return new SimSettings(name, slots, value, promptTokenLatency, speed, replyTokens, contextTokens,
                models, faults, seed, loadTime, recordLimit, anyModelName, promptCache, brokenCodeRate, replyTokensPerPromptToken, scaling);
    }

    public SimSettings withPromptTokenLatency(Duration value) {
        return new SimSettings(name, slots, tokenLatency, value, speed, replyTokens, contextTokens,
                models, faults, seed, loadTime, recordLimit, anyModelName, promptCache, brokenCodeRate, replyTokensPerPromptToken, scaling);
    }

    public SimSettings withSpeed(double value) {
        return new SimSettings(name, slots, tokenLatency, promptTokenLatency, value, replyTokens, contextTokens,
                models, faults, seed, loadTime, recordLimit, anyModelName, promptCache, brokenCodeRate, replyTokensPerPromptToken, scaling);
    }

    public SimSettings withReplyTokens(int value) {
        return new SimSettings(name, slots, tokenLatency, promptTokenLatency, speed, value, contextTokens,
                models, faults, seed, loadTime, recordLimit, anyModelName, promptCache, brokenCodeRate, replyTokensPerPromptToken, scaling);
    }

    public SimSettings withContextTokens(int value) {
        return new SimSettings(name, slots, tokenLatency, promptTokenLatency, speed, replyTokens, value,
                models, faults, seed, loadTime, recordLimit, anyModelName, promptCache, brokenCodeRate, replyTokensPerPromptToken, scaling);
    }

    public SimSettings withModels(List<String> value) {
        return new SimSettings(name, slots, tokenLatency, promptTokenLatency, speed, replyTokens, contextTokens,
                value, faults, seed, loadTime, recordLimit, anyModelName, promptCache, brokenCodeRate, replyTokensPerPromptToken, scaling);
    }

    public SimSettings withModels(String... value) {
        return withModels(List.of(value));
    }

    public SimSettings withFaults(SimFaults value) {
        return new SimSettings(name, slots, tokenLatency, promptTokenLatency, speed, replyTokens, contextTokens,
                models, value, seed, loadTime, recordLimit, anyModelName, promptCache, brokenCodeRate, replyTokensPerPromptToken, scaling);
    }

    public SimSettings withSeed(long value) {
        return new SimSettings(name, slots, tokenLatency, promptTokenLatency, speed, replyTokens, contextTokens,
                models, faults, value, loadTime, recordLimit, anyModelName, promptCache, brokenCodeRate, replyTokensPerPromptToken, scaling);
    }

    public SimSettings withLoadTime(Duration value) {
        return new SimSettings(name, slots, tokenLatency, promptTokenLatency, speed, replyTokens, contextTokens,
                models, faults, seed, value, recordLimit, anyModelName, promptCache, brokenCodeRate, replyTokensPerPromptToken, scaling);
    }

    public SimSettings withRecordLimit(int value) {
        return new SimSettings(name, slots, tokenLatency, promptTokenLatency, speed, replyTokens, contextTokens,
                models, faults, seed, loadTime, value, anyModelName, promptCache, brokenCodeRate, replyTokensPerPromptToken, scaling);
    }

    public SimSettings withAnyModelName(boolean value) {
        return new SimSettings(name, slots, tokenLatency, promptTokenLatency, speed, replyTokens, contextTokens,
                models, faults, seed, loadTime, recordLimit, value, promptCache, brokenCodeRate, replyTokensPerPromptToken, scaling);
    }

    public SimSettings withPromptCache(boolean value) {
        return new SimSettings(name, slots, tokenLatency, promptTokenLatency, speed, replyTokens, contextTokens,
                models, faults, seed, loadTime, recordLimit, anyModelName, value, brokenCodeRate, replyTokensPerPromptToken, scaling);
    }

    public SimSettings withBrokenCodeRate(double value) {
        return new SimSettings(name, slots, tokenLatency, promptTokenLatency, speed, replyTokens, contextTokens,
                models, faults, seed, loadTime, recordLimit, anyModelName, promptCache, value, replyTokensPerPromptToken, scaling);
    }

    public SimSettings withScaling(double value) {
        return new SimSettings(name, slots, tokenLatency, promptTokenLatency, speed, replyTokens, contextTokens,
                models, faults, seed, loadTime, recordLimit, anyModelName, promptCache, brokenCodeRate, replyTokensPerPromptToken,
                value);
    }

    public SimSettings withReplyTokensPerPromptToken(double value) {
        return new SimSettings(name, slots, tokenLatency, promptTokenLatency, speed, replyTokens, contextTokens,
                models, faults, seed, loadTime, recordLimit, anyModelName, promptCache, brokenCodeRate, value, scaling);
    }

    /** How long a full reply to a prompt of this many tokens is. */
    int replyTokensFor(int promptTokens) {
        return replyTokens + (int) Math.round(replyTokensPerPromptToken * promptTokens);
    }

    /**
     * A server of hidden parallelism {@code p}, like a GPU: it processes up to {@code p} requests at once, which share
     * its throughput along {@link #CONTENDED_SCALING} (1 → 2 → 4 at once yields 1, 1.74, 3.03 times the tokens per
     * second of one), and queues the rest, as Ollama does beyond {@code OLLAMA_NUM_PARALLEL}. A client sending more
     * than {@code p} at once gains no throughput, only latency.
     */
    public SimSettings withParallelism(int p) {
        return withSlots(p).withScaling(CONTENDED_SCALING);
    }

    /** The path llama-server names its model by: what an {@link #anyModelName} server reports. */
    String modelPath() {
        return "/models/" + models.get(0) + ".gguf";
    }

    /** Wall time to produce one output token at this server's speed, in nanoseconds. */
    long tokenNanosAtSpeed() {
        return Math.round(tokenLatency.toNanos() / speed);
    }

    /** Wall time to read one prompt token at this server's speed, in nanoseconds. */
    long promptTokenNanosAtSpeed() {
        return Math.round(promptTokenLatency.toNanos() / speed);
    }

    /**
     * The served model a request's model name refers to ({@code x} also matches {@code x:latest}), or null; for an
     * {@link #anyModelName} server, its one model's path whatever the name.
     */
    String resolveModel(String requested) {
        if (anyModelName) {
            return modelPath();
        }
        if (requested == null) {
            return null;
        }
        for (String m : models) {
            if (m.equals(requested) || m.equals(requested + ":latest") || requested.equals(m + ":latest")) {
                return m;
            }
        }
        return null;
    }

    /** Estimated tokens of a text: ceil(characters / 4). */
    public static int tokensOf(long chars) {
        return (int) ((chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
    }
}
