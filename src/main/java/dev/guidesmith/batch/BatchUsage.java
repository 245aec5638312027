package dev.guidesmith.batch;

/**
 * Tokens a batch used, as the servers reported them.
 *
 * @param cachedTokens prompt tokens the servers took from their prompt caches
 */
public record BatchUsage(long inputTokens, long cachedTokens, long outputTokens) {

    public static final BatchUsage NONE = new BatchUsage(0, 0, 0);

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    public BatchUsage plus(long input, long cached, long output) {
        return new BatchUsage(inputTokens + input, cachedTokens + cached, outputTokens + output);
    }
}
