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
 * @param checks    per check of the guides, the guides that passed it, passed after a repair, failed
 * @param needReview the job's guides written while failing their checks (exact, whatever else ran)
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
        Map<String, Check> checks,
        NeedReview needReview,
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
     * @param repairCalls  calls that asked the stage again because a check failed on its result
     * @param modelSeconds time in this stage's model calls (repairs included), summed over calls (calls
     *                     run side by side)
     */
    public record Stage(long modelCalls, long repairCalls, long cacheHits, long fromInput, long promptTokens,
                        long cachedTokens, long outputTokens, double modelSeconds, double secondsPerCall) {
    }

    /**
     * One check, counted in guides.
     *
     * @param active false when its tool is not installed here (it did not run)
     */
    public record Check(boolean active, long passed, long repaired, long failed) {
    }

    /**
     * @param total  how many of the job's guides need review
     * @param guides the first of them (up to 1,000), each with the checks it fails
     */
    public record NeedReview(long total, java.util.List<Guide> guides) {
    }

    /** A guide that needs review: its problem, its file in the output folder, the checks it fails. */
    public record Guide(String id, String title, String file, java.util.List<String> checks) {
    }

    /**
     * @param share        this endpoint's part of the successful calls, 0..1
     * @param utilization  busy slot-time over available slot-time (slots × the job's wall time), 0..1
     * @param outputTokensPerSecond output tokens over the job's wall time
     */
    public record Endpoint(int slots, long completed, long failed, long promptTokens, long cachedTokens, long outputTokens,
                           double busySeconds, double share, double utilization, double outputTokensPerSecond) {
    }

    /** Counted as they happened; the records themselves are in {@code <work>/failed/}. */
    public record Failures(long total, Map<String, Long> byClass, Map<String, Long> byStage) {
    }
}
