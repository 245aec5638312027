package dev.guidesmith.llm;

/**
 * Speaks one API to one endpoint. Implementations translate the wire format and classify errors
 * into {@link FailureKind}s; scheduling, retries and health belong to the fleet.
 */
public interface ModelClient extends AutoCloseable {

    /** One call, streamed; returns when the reply is complete. */
    ModelReply call(ChatCall call) throws ModelCallException;

    /** Asks the server whether it is up and serves the configured model, and what it can tell of itself. */
    EndpointProbe probe();

    /**
     * The prompt's exact size in the model's tokens, where the server or engine can count them;
     * empty where it cannot (then the fleet estimates).
     */
    default java.util.OptionalInt countTokens(java.util.List<ChatMessage> messages) throws ModelCallException {
        return java.util.OptionalInt.empty();
    }

    @Override
    default void close() {
    }
}
