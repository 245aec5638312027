package dev.guidesmith.llm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A model's answer and what it cost.
 *
 * @param text          the reply as the model wrote it
 * @param json          the reply parsed and checked against the request's schema, or null for text
 * @param endpoint      the endpoint that served it
 * @param model         the model that wrote it
 * @param simulated     true when a simulated server wrote it (guides say so)
 * @param promptTokens  prompt tokens as the server counted them (estimated when it did not say)
 * @param outputTokens  reply tokens as the server counted them (estimated when it did not say)
 * @param elapsedMillis time from sending the request to the last byte
 * @param finishReason  why the model stopped, in OpenAI's words ({@code stop}, {@code length})
 * @param cachedTokens  prompt tokens the server took from its prompt cache (0 when it did not say)
 */
public record ModelReply(
        String text,
        JsonNode json,
        String endpoint,
        String model,
        boolean simulated,
        int promptTokens,
        int outputTokens,
        long elapsedMillis,
        String finishReason,
        int cachedTokens) {

    public static final String STOP = "stop";
    public static final String LENGTH = "length";

    /** A reply that ended by itself, with nothing known of the server's prompt cache. */
    public ModelReply(String text, JsonNode json, String endpoint, String model, boolean simulated, int promptTokens,
                      int outputTokens, long elapsedMillis) {
        this(text, json, endpoint, model, simulated, promptTokens, outputTokens, elapsedMillis, STOP, 0);
    }

    public double tokensPerSecond() {
        return elapsedMillis <= 0 ? 0 : outputTokens * 1000.0 / elapsedMillis;
    }

    public ModelReply withJson(JsonNode parsed) {
        return new ModelReply(text, parsed, endpoint, model, simulated, promptTokens, outputTokens, elapsedMillis,
                finishReason, cachedTokens);
    }

    /** The same reply, marked as a simulated server's (guides made from it say so). */
    public ModelReply markedSimulated() {
        return new ModelReply(text, json, endpoint, model, true, promptTokens, outputTokens, elapsedMillis, finishReason,
                cachedTokens);
    }
}
