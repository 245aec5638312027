package dev.guidesmith.batch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of an OpenAI batch input file: {@code {"custom_id", "method": "POST", "url", "body"}}.
 *
 * @param line the line's number in the file (1 for the first), which is also its item's position
 */
public record BatchRequest(long line, String customId, String method, String url, JsonNode body) {

    /** The model the request asks for ({@code body.model}), or null. */
    public String model() {
        JsonNode model = body == null ? null : body.get("model");
        return model != null && model.isTextual() ? model.asText() : null;
    }
}
