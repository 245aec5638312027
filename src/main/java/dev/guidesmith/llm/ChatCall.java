package dev.guidesmith.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A request fitted to one endpoint: the rendered messages and the limits, ready for the wire.
 *
 * @param promptTokens  our estimate of the prompt's size (to spot silent truncation by the server)
 * @param contextTokens the context the prompt was fitted to (sent to servers that take it per request)
 * @param params        request parameters passed on as the caller wrote them (OpenAI names), or null
 * @param asIs          a reply stopped at its length limit is an answer (its finish reason says so), not a failure
 */
public record ChatCall(List<ChatMessage> messages, JsonNode schema, int maxTokens, double temperature, int promptTokens,
                       int contextTokens, JsonNode params, boolean asIs) {

    public ChatCall(List<ChatMessage> messages, JsonNode schema, int maxTokens, double temperature, int promptTokens,
                    int contextTokens) {
        this(messages, schema, maxTokens, temperature, promptTokens, contextTokens, null, false);
    }
}
