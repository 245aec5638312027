package dev.guidesmith.llm;

import java.util.List;

/**
 * Estimates token counts without the model's tokenizer. English prose runs about 4 characters per
 * token and code about 3; we count 3 so that an estimate errs toward "too long", which only costs
 * a little shortening, never a refused or silently truncated prompt.
 */
public final class TokenEstimate {

    static final double CHARS_PER_TOKEN = 3.0;
    /** Chat templates add a few tokens of framing per message. */
    static final int PER_MESSAGE = 8;

    private TokenEstimate() {
    }

    public static int of(String text) {
        return text == null ? 0 : (int) Math.ceil(text.length() / CHARS_PER_TOKEN);
    }

    public static int of(List<ChatMessage> messages) {
        int total = 0;
        for (ChatMessage message : messages) {
            total += of(message.content()) + PER_MESSAGE;
        }
        return total;
    }

    /** How many characters roughly make that many tokens. */
    public static int chars(int tokens) {
        return (int) (tokens * CHARS_PER_TOKEN);
    }
}
