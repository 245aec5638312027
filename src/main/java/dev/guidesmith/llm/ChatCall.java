package dev.guidesmith.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A request fitted to one endpoint: the rendered messages and the limits, ready for the wire.
 *
 * @param promptTokens  our estimate of the prompt's size (to spot silent truncation by the server)
 * @param contextTokens the context the prompt was fitted to (sent to servers that take it per request)
 */
public record ChatCall(List<ChatMessage> messages, JsonNode schema, int maxTokens, double temperature, int promptTokens,
                       int contextTokens) {
}
