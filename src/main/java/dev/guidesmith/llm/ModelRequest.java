package dev.guidesmith.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * What a stage needs from a model, independent of which endpoint serves it.
 *
 * @param stage      the stage asking (for statistics and logs)
 * @param priority   higher goes first when calls wait for a slot (later stages finish problems)
 * @param subject    what the call is about, for log lines and errors ("problem 42")
 * @param prompt     builds the messages once the endpoint, hence the token budget, is known
 * @param schema     the JSON schema the reply must follow, or null for free text
 * @param maxTokens  room for the reply
 * @param endpoints  the endpoints allowed to serve it; empty means any
 * @param options    whose call it is, parameters passed on, how its reply is judged
 */
public record ModelRequest(
        String stage,
        int priority,
        String subject,
        PromptSource prompt,
        JsonNode schema,
        int maxTokens,
        double temperature,
        Set<String> endpoints,
        CallOptions options) {

    public ModelRequest {
        endpoints = Set.copyOf(endpoints);
        options = options == null ? CallOptions.NONE : options;
    }

    public ModelRequest(String stage, int priority, String subject, PromptSource prompt, JsonNode schema, int maxTokens,
                        double temperature, Set<String> endpoints) {
        this(stage, priority, subject, prompt, schema, maxTokens, temperature, endpoints, CallOptions.NONE);
    }

    public boolean wantsJson() {
        return schema != null;
    }

    public boolean allows(String endpoint) {
        return endpoints.isEmpty() || endpoints.contains(endpoint);
    }
}
