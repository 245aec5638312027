package dev.guidesmith.sim;

import java.util.Arrays;

/**
 * The prompt cache of one server run: per slot, the text its KV cache holds after its last request (the prompt,
 * then the reply it wrote, as llama-server's slot keeps both, so a conversation's next turn finds its history
 * cached). A restart begins empty, as a restarted process would. Thread-safe.
 */
final class SlotPrompts {

    /** At most this many characters are remembered per slot: 256 Ki, 64 Ki tokens, more than any context here. */
    static final int MAX_CHARS = 256 * 1024;

    private final String[] held;

    SlotPrompts(int slots) {
        held = new String[slots];
        Arrays.fill(held, "");
    }

    /** Characters at the start of {@code prompt} that {@code slot} holds. */
    synchronized int commonPrefix(int slot, String prompt) {
        return commonPrefix(held[slot], prompt);
    }

    /**
     * Prompt tokens of a request that {@code slot} can reuse: whole tokens of the common prefix, but never the last
     * prompt token, which is always evaluated again (its logits give the first reply token; llama-server reports a
     * repeated prompt of n tokens as n - 1 cached).
     */
    synchronized int cachedTokens(int slot, String prompt, int promptTokens) {
        int whole = commonPrefix(held[slot], prompt) / SimSettings.CHARS_PER_TOKEN;
        return Math.max(0, Math.min(whole, promptTokens - 1));
    }

    /** What {@code slot} holds from now on (its first {@link #MAX_CHARS} characters). */
    synchronized void remember(int slot, String text) {
        held[slot] = text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS);
    }

    static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
