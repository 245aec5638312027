package dev.guidesmith.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.jobs.ExpectedWork;

/**
 * The work a batch request is expected to take, in {@link ExpectedWork} units: reading its prompt
 * (the text of its messages, or its completion prompt) and writing its reply, counted as the room
 * it gives the reply ({@code max_completion_tokens}, else {@code max_tokens}). Pure arithmetic on
 * the request's body.
 */
final class BatchWork {

    /** A request that leaves its reply unbounded is expected to write this many tokens. */
    static final int UNBOUNDED_REPLY_TOKENS = 512;

    private BatchWork() {
    }

    static double expected(JsonNode body) {
        if (body == null) {
            return 0;
        }
        int room = body.path("max_completion_tokens").asInt(body.path("max_tokens").asInt(0));
        return ExpectedWork.ofPrompt(promptChars(body)) + (room > 0 ? room : UNBOUNDED_REPLY_TOKENS);
    }

    private static long promptChars(JsonNode body) {
        long chars = textChars(body.path("prompt"));
        for (JsonNode message : body.path("messages")) {
            chars += textChars(message.path("content"));
        }
        return chars;
    }

    /** A string, or parts ({@code [{"type": "text", "text": ...}]} or strings): their text's length. */
    private static long textChars(JsonNode content) {
        if (content.isTextual()) {
            return content.asText().length();
        }
        long chars = 0;
        if (content.isArray()) {
            for (JsonNode part : content) {
                chars += part.isTextual() ? part.asText().length() : part.path("text").asText("").length();
            }
        }
        return chars;
    }
}
