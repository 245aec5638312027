package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Counts prompt characters, keeps the prompt text for the prompt cache (its first {@link SlotPrompts#MAX_CHARS}
 * characters; roles are not part of it) and hashes everything that should decide a reply (FNV-1a, 64 bits).
 */
final class PromptMeasure {

    private final StringBuilder text = new StringBuilder();
    private long chars;
    private long hash = 0xcbf29ce484222325L;

    /** Adds a message {@code content}: a string, or OpenAI-style parts {@code [{"type":"text","text":...}]}. */
    PromptMeasure content(JsonNode content) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            return this;
        }
        if (content.isTextual()) {
            return text(content.asText());
        }
        if (content.isArray()) {
            for (JsonNode part : content) {
                if (part.isTextual()) {
                    text(part.asText());
                } else if (part.has("text")) {
                    text(part.get("text").asText());
                } else if (part.has("content")) {
                    content(part.get("content"));
                }
            }
            return this;
        }
        return text(content.toString());
    }

    /** Adds every {@code content} of a {@code messages} array (roles are hashed, not counted). */
    PromptMeasure messages(JsonNode messages) {
        if (messages != null && messages.isArray()) {
            for (JsonNode m : messages) {
                key(m.path("role").asText(""));
                content(m.get("content"));
            }
        }
        return this;
    }

    /** Counted prompt text. */
    PromptMeasure text(String s) {
        chars += s.length();
        int room = SlotPrompts.MAX_CHARS - text.length();
        if (room > 0) {
            text.append(s, 0, Math.min(room, s.length()));
        }
        return key(s);
    }

    /** Something that decides the reply but is not prompt text (model, schema, seed). */
    PromptMeasure key(String s) {
        long h = hash;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= 0xff;
        h *= 0x100000001b3L;
        hash = h;
        return this;
    }

    long chars() {
        return chars;
    }

    int tokens() {
        return SimSettings.tokensOf(chars);
    }

    /** The prompt text, as far as the prompt cache remembers it. */
    String promptText() {
        return text.toString();
    }

    long hash() {
        return hash;
    }
}
