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
 */
public record ModelReply(
        String text,
        JsonNode json,
        String endpoint,
        String model,
        boolean simulated,
        int promptTokens,
        int outputTokens,
        long elapsedMillis) {

    public double tokensPerSecond() {
        return elapsedMillis <= 0 ? 0 : outputTokens * 1000.0 / elapsedMillis;
    }

    public ModelReply withJson(JsonNode parsed) {
        return new ModelReply(text, parsed, endpoint, model, simulated, promptTokens, outputTokens, elapsedMillis);
    }

    /** The same reply, marked as a simulated server's (guides made from it say so). */
    public ModelReply markedSimulated() {
        return new ModelReply(text, json, endpoint, model, true, promptTokens, outputTokens, elapsedMillis);
    }
}
