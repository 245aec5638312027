package dev.guidesmith.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.guidesmith.support.Json;

/** Reading an OpenAI request's parameters, for the clients that translate them into another API. */
final class OpenAiParams {

    private OpenAiParams() {
    }

    /** A legacy text completion ({@code /v1/completions}: a {@code prompt}, no messages). */
    static boolean isCompletion(ChatCall call) {
        return call.params() != null && call.params().has("prompt") && !call.params().has("messages");
    }

    /**
     * {@code response_format} as a JSON schema, or {@code "json"} for any JSON object; null for text.
     */
    static JsonNode responseFormat(JsonNode params) {
        JsonNode format = params.path("response_format");
        return switch (format.path("type").asText("")) {
            case "json_schema" -> format.path("json_schema").path("schema").isObject()
                    ? format.path("json_schema").path("schema") : TextNode.valueOf("json");
            case "json_object" -> TextNode.valueOf("json");
            default -> null;
        };
    }

    /** {@code stop} as a list of strings (OpenAI also takes one string), or null. */
    static JsonNode stop(JsonNode params) {
        JsonNode stop = params.get("stop");
        if (stop == null || stop.isNull()) {
            return null;
        }
        if (stop.isArray()) {
            return stop;
        }
        ArrayNode one = Json.MAPPER.createArrayNode();
        one.add(stop.asText());
        return one;
    }
}
