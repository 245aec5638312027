package dev.guidesmith.llm;

/**
 * Why a model call failed, and what that means for the call and for the endpoint. The policy lives
 * here so every API client classifies errors the same way and the fleet reacts the same way.
 */
public enum FailureKind {
    /** Connection refused or reset, DNS, TLS: the server is not there. */
    UNREACHABLE(true, true, "the server did not answer; is it running and is the url right?"),
    /** 5xx other than busy. */
    SERVER_ERROR(true, true, "the server reported an internal error"),
    /** 503 / 429: the server is overloaded; another may not be. */
    BUSY(true, true, "the server is busy; lower its slots if this repeats"),
    /** No byte for llm.idle-timeout-seconds. */
    IDLE_TIMEOUT(true, true, "the server stopped sending; it may be hung or overloaded"),
    /** The whole call took longer than llm.call-timeout-seconds. */
    CALL_TIMEOUT(true, true, "the call took longer than llm.call-timeout-seconds"),
    /** The prompt did not fit the context: shrink it and try again, never resend it as it was. */
    CONTEXT_OVERFLOW(true, false, "the prompt did not fit the model's context"),
    /** The endpoint does not have the configured model: it is misconfigured until fixed. */
    MODEL_NOT_FOUND(true, false, "the model is not available on this server"),
    /** The reply stopped at its length limit: not trusted; the next attempt gets more room. */
    TRUNCATED(true, false, "the reply was cut off at its length limit"),
    /** The server cut the prompt to fit its context (silently, or saying so): the answer is not trusted. */
    PROMPT_TRUNCATED(true, false, "the server cut the prompt to fit its context"),
    /** Cut at its length limit again with all the room the stage and the endpoint's context allow. */
    REPLY_TOO_LONG(false, false, "the reply needs more room than the stage's max-tokens and the context allow"),
    /** The reply is not valid JSON for the stage's schema: ask again. */
    INVALID_REPLY(true, false, "the reply did not match the stage's JSON schema"),
    /** The server refused the request itself (4xx): sending it again will not help. */
    BAD_REQUEST(false, false, "the server refused the request"),
    /** Authentication failed (401/403): the endpoint's api-key is wrong. */
    UNAUTHORIZED(true, false, "the server refused the api-key"),
    /** The caller gave the call up before it started (its batch was cancelled or expired). */
    CANCELLED(false, false, "the call was given up before it started"),
    /** The service is stopping: the call was not started; it is resumed at the next start. */
    STOPPING(false, false, "the service is stopping");

    private final boolean retryable;
    private final boolean endpointFault;
    private final String meaning;

    FailureKind(boolean retryable, boolean endpointFault, String meaning) {
        this.retryable = retryable;
        this.endpointFault = endpointFault;
        this.meaning = meaning;
    }

    /** Worth another attempt (on another endpoint where there is one). */
    public boolean retryable() {
        return retryable;
    }

    /** Counts toward parking the endpoint (its circuit breaker). */
    public boolean endpointFault() {
        return endpointFault;
    }

    public String meaning() {
        return meaning;
    }
}
