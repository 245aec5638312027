package dev.guidesmith.sim;

/**
 * One generation request as the server saw it. Times are {@link System#nanoTime()} values.
 *
 * @param api             the dialect it came in
 * @param endpoint        the path, e.g. {@code /api/chat}
 * @param model           the model it asked for (as sent; null if none)
 * @param promptTokens    the prompt's size, ceil(characters / 4) of all message contents (0 if never parsed)
 * @param cachedTokens    of those, the tokens its slot's prompt cache held (reused, not evaluated; 0 if it never got
 *                        a slot)
 * @param outputTokens    reply tokens actually sent (for a stall: those sent before it stalled)
 * @param schemaRequested a JSON schema was requested ({@code format} object, {@code json_schema})
 * @param stream          the client asked for a streamed reply
 * @param slot            the slot that processed it, or -1 if it never got one
 * @param startNanos      when the request arrived (body read, before waiting for a slot)
 * @param slotNanos       when it got a slot, or 0 if never
 * @param endNanos        when the server was done with it (for a hang or stall: when the fault began)
 * @param outcome         how it ended
 * @param promptTruncated Ollama silent truncation cut this prompt
 */
public record CallRecord(
        SimApi api,
        String endpoint,
        String model,
        int promptTokens,
        int cachedTokens,
        int outputTokens,
        boolean schemaRequested,
        boolean stream,
        int slot,
        long startNanos,
        long slotNanos,
        long endNanos,
        Outcome outcome,
        boolean promptTruncated) {

    /** Prompt tokens not taken from the cache. */
    public int uncachedPromptTokens() {
        return promptTokens - cachedTokens;
    }

    /** Time from arrival to the end, in nanoseconds. */
    public long durationNanos() {
        return endNanos - startNanos;
    }

    /** Time spent waiting for a slot, in nanoseconds (the whole duration if it never got one). */
    public long waitNanos() {
        return (slotNanos == 0 ? endNanos : slotNanos) - startNanos;
    }

    /** Time spent holding a slot, in nanoseconds (0 if it never got one). */
    public long processingNanos() {
        return slotNanos == 0 ? 0 : endNanos - slotNanos;
    }

    public boolean success() {
        return outcome.isSuccess();
    }
}
