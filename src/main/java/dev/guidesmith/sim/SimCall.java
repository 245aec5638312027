package dev.guidesmith.sim;

import java.time.Instant;

/** The mutable state of one generation request while the engine serves it; the API formatters read it. */
final class SimCall {

    final SimApi api;
    final String endpoint;
    final long startNanos;
    /** An id for the reply ({@code chatcmpl-...}). */
    final String id;
    final Instant created = Instant.now();

    GenerationRequest request;
    String requestedModel;
    int slot = -1;
    long slotNanos;
    /** When it got a slot, on the server's work clock ({@link SharedPace}). */
    long workStartNanos;
    long firstTokenNanos;
    long endNanos;
    /** Prompt tokens the model read (capped at the context under silent truncation). */
    int promptEvalTokens;
    /** Of those, the tokens its slot had cached: they cost no prompt latency. */
    int cachedTokens;
    boolean promptTruncated;
    /** Output tokens sent so far. */
    int outputTokens;
    /** The whole emitted reply (set before the non-streaming body or the final chunk is formatted). */
    String text = "";
    /** STOP or LENGTH once the reply is known. */
    Outcome finish;
    /** The output ran into the context (llama-server's {@code truncated}). */
    boolean cutByContext;
    /** The stop sequence the reply ended at, or null. */
    String stoppingWord;
    Outcome outcome;
    ServerRun run;
    boolean slotHeld;
    /** Its reply has code broken on purpose. */
    boolean brokenCode;
    /** Its prompt quotes a compiler's or interpreter's error (a repair request). */
    boolean quotedError;
    /** Booked and out of the gauges (set just before the write that completes the reply). */
    boolean finished;

    SimCall(SimApi api, String endpoint, long startNanos, long sequence) {
        this.api = api;
        this.endpoint = endpoint;
        this.startNanos = startNanos;
        this.id = Long.toHexString(sequence ^ (startNanos << 20));
    }

    String model() {
        return request != null ? request.model() : requestedModel;
    }

    /** Nanoseconds spent on the prompt (slot to first token), at least 1 microsecond. */
    long promptNanos() {
        return Math.max(1_000, (firstTokenNanos == 0 ? endNanos : firstTokenNanos) - slotNanos);
    }

    /** Nanoseconds spent generating (first token to end), at least 1 microsecond. */
    long evalNanos() {
        return Math.max(1_000, endNanos - (firstTokenNanos == 0 ? slotNanos : firstTokenNanos));
    }

    /** Nanoseconds from arrival to end, at least 1 microsecond. */
    long totalNanos() {
        return Math.max(1_000, endNanos - startNanos);
    }

    /** Prompt tokens evaluated, not taken from the cache. */
    int uncachedTokens() {
        return promptEvalTokens - cachedTokens;
    }

    boolean schemaRequested() {
        return request != null && request.schema() != null;
    }
}
