package dev.guidesmith.status;

import java.util.Map;

/**
 * What a finished job came to: {@code <work>/reports/<job>.json} as it is, and the data of
 * {@code <job>.md}.
 *
 * <p>Tokens, calls and times are the service's between the job's start (or resumption) and its end.
 * When another job ran at the same time ({@code overlapping}), they include that job's work too.
 *
 * @param kind      the job's kind ({@code guides}, {@code batch})
 * @param started   when this run started (or resumed) the job
 * @param seconds   from start to finish, wall time
 * @param calls     the job's own answered calls and their tokens (exact, whatever else ran)
 */
public record RunReport(
        String job,
        String kind,
        String file,
        long entries,
        String acceptedAt,
        String started,
        String finished,
        double seconds,
        boolean overlapping,
        Problems problems,
        Tokens tokens,
        Calls calls,
        Map<String, Stage> stages,
        Map<String, Endpoint> endpoints,
        Failures failures) {

    /** @param done written + alreadyDone */
    public record Problems(long done, long written, long alreadyDone, long failed) {
    }

    public record Tokens(long prompt, long output) {
    }

    /** @param cachedTokens prompt tokens the servers took from their prompt caches */
    public record Calls(long calls, long promptTokens, long cachedTokens, long outputTokens) {
    }

    /**
     * @param modelSeconds time in this stage's model calls, summed over calls (calls run side by side)
     */
    public record Stage(long modelCalls, long cacheHits, long fromInput, long promptTokens, long outputTokens,
                        double modelSeconds, double secondsPerCall) {
    }

    /**
     * @param share        this endpoint's part of the successful calls, 0..1
     * @param utilization  busy slot-time over available slot-time (slots × the job's wall time), 0..1
     * @param outputTokensPerSecond output tokens over the job's wall time
     */
    public record Endpoint(int slots, long completed, long failed, long promptTokens, long outputTokens,
                           double busySeconds, double share, double utilization, double outputTokensPerSecond) {
    }

    /** Counted as they happened; the records themselves are in {@code <work>/failed/}. */
    public record Failures(long total, Map<String, Long> byClass, Map<String, Long> byStage) {
    }
}
