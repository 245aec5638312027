package dev.guidesmith.llm;

/**
 * What the answered calls of one group (a job) cost, as the servers reported it.
 *
 * @param cachedTokens prompt tokens the servers took from their prompt caches
 */
public record CallUsage(long calls, long promptTokens, long cachedTokens, long outputTokens) {

    public static final CallUsage NONE = new CallUsage(0, 0, 0, 0);

    CallUsage plus(ModelReply reply) {
        return new CallUsage(calls + 1, promptTokens + reply.promptTokens(), cachedTokens + reply.cachedTokens(),
                outputTokens + reply.outputTokens());
    }
}
