package dev.guidesmith.llm;

/** A model call that failed, classified; the message names the endpoint and what to do. */
public class ModelCallException extends Exception {

    private final FailureKind kind;
    private final String endpoint;
    private final int httpStatus;
    private final String responseBody;

    public ModelCallException(FailureKind kind, String endpoint, String message) {
        this(kind, endpoint, message, null);
    }

    public ModelCallException(FailureKind kind, String endpoint, String message, Throwable cause) {
        this(kind, endpoint, message, cause, 0, null);
    }

    /** A server's refusal: its HTTP status and body come along, for callers that pass them on (batches). */
    public ModelCallException(FailureKind kind, String endpoint, String message, int httpStatus, String responseBody) {
        this(kind, endpoint, message, null, httpStatus, responseBody);
    }

    private ModelCallException(FailureKind kind, String endpoint, String message, Throwable cause, int httpStatus,
                               String responseBody) {
        super(message, cause);
        this.kind = kind;
        this.endpoint = endpoint;
        this.httpStatus = httpStatus;
        this.responseBody = responseBody;
    }

    /** The HTTP status the server answered with, or 0 when no server answered with an error status. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The body of the server's error answer, or null. */
    public String responseBody() {
        return responseBody;
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
