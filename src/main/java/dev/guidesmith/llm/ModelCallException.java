package dev.guidesmith.llm;

/** A model call that failed, classified; the message names the endpoint and what to do. */
public class ModelCallException extends Exception {

    private final FailureKind kind;
    private final String endpoint;

    public ModelCallException(FailureKind kind, String endpoint, String message) {
        this(kind, endpoint, message, null);
    }

    public ModelCallException(FailureKind kind, String endpoint, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.endpoint = endpoint;
    }

    public FailureKind kind() {
        return kind;
    }

    /** The endpoint that failed, or null when none was reached. */
    public String endpoint() {
        return endpoint;
    }

    /** For Camel's {@code onWhen}: whether the error handler should try again. */
    public boolean isRetryable() {
        return kind.retryable();
    }
}
