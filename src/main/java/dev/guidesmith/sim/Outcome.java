package dev.guidesmith.sim;

/** How one generation request ended, as the server saw it. */
public enum Outcome {
    /** Full reply sent; the model stopped by itself ({@code stop} / {@code eos}). */
    STOP(true),
    /** Reply sent but cut off by the token limit or the context ({@code length} / {@code limit}). */
    LENGTH(true),
    /** Malformed request (bad JSON, missing field): HTTP 400. */
    BAD_REQUEST(false),
    /** The requested model is not served: HTTP 404. */
    UNKNOWN_MODEL(false),
    /** The prompt does not fit in the context: HTTP 400. */
    CONTEXT_OVERFLOW(false),
    /** Injected failure: HTTP 500. */
    ERROR(false),
    /** Injected "server busy": HTTP 503. */
    BUSY(false),
    /** The model was still loading: HTTP 503 (llama-server and OpenAI endpoints only). */
    LOADING(false),
    /** Injected hang: no byte was ever sent. */
    HANG(false),
    /** Injected stall: the reply started, then stopped forever. */
    STALL(false),
    /** The server dropped the connection (die-after-N, or {@code stop()} while the request was inside). */
    DROPPED(false),
    /** Writing the reply failed: the client went away. */
    CLIENT_GONE(false);

    private final boolean success;

    Outcome(boolean success) {
        this.success = success;
    }

    /** True for {@link #STOP} and {@link #LENGTH}: the server produced a complete HTTP 200 reply. */
    public boolean isSuccess() {
        return success;
    }
}
