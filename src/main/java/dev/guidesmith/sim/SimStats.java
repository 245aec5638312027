package dev.guidesmith.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of a server's counters. See {@link SimCounters} for what each figure means.
 *
 * @param received      generation requests received
 * @param completed     generation requests answered with a full reply ({@link Outcome#isSuccess()})
 * @param failed        generation requests that ended any other way
 * @param byOutcome     every finished generation request by outcome (outcomes never seen are absent)
 * @param inside        generation requests inside the server now (processing + waiting for a slot)
 * @param maxInside     the most ever inside at once
 * @param processing    generation requests holding a slot now
 * @param maxProcessing the most ever holding a slot at once (never above the slot count)
 * @param held          requests held by a hang or stall fault now (not counted as inside)
 * @param promptTokens  prompt tokens of successful requests
 * @param cachedTokens  of those, the tokens taken from the slots' prompt caches
 * @param outputTokens  output tokens of successful requests
 * @param workSeconds   useful work: sum over successful requests of outputTokens x tokenLatency (speed-independent)
 * @param promptWorkSeconds prompt reading: sum over successful requests of uncached prompt tokens x
 *                      promptTokenLatency (speed-independent)
 * @param firstCallStart arrival of the first generation request, or null
 * @param lastCallEnd   end of the latest-ending generation request, or null
 */
public record SimStats(
        long received,
        long completed,
        long failed,
        Map<Outcome, Long> byOutcome,
        int inside,
        int maxInside,
        int processing,
        int maxProcessing,
        int held,
        long promptTokens,
        long cachedTokens,
        long outputTokens,
        double workSeconds,
        double promptWorkSeconds,
        Instant firstCallStart,
        Instant lastCallEnd) {

    public SimStats {
        byOutcome = Map.copyOf(byOutcome);
    }

    /** How many finished with this outcome. */
    public long count(Outcome outcome) {
        return byOutcome.getOrDefault(outcome, 0L);
    }

    /** The share of prompt tokens taken from the prompt caches, 0 if there were none. */
    public double cachedShare() {
        return promptTokens == 0 ? 0 : (double) cachedTokens / promptTokens;
    }

    /** lastCallEnd - firstCallStart, or zero if there were no calls. */
    public Duration span() {
        if (firstCallStart == null || lastCallEnd == null) {
            return Duration.ZERO;
        }
        return Duration.between(firstCallStart, lastCallEnd);
    }
}
