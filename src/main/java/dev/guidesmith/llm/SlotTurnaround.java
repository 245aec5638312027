package dev.guidesmith.llm;

import java.util.concurrent.atomic.LongAdder;

/**
 * Where a slot's time goes between one call's reply and the next call's request, while calls wait:
 * the reply checked and the slot handed back ({@code check}), the next call chosen and its thread
 * woken ({@code schedule}), its prompt rendered to the endpoint's context and the request sent
 * ({@code prepare}). Writing the finished call's result to the stage cache is not on this path: the
 * slot is handed back first. A slot whose next call waited in the server's queue has no gap to
 * measure here; the server started it at once.
 */
public final class SlotTurnaround {

    private final LongAdder gaps = new LongAdder();
    private final LongAdder checkNanos = new LongAdder();
    private final LongAdder scheduleNanos = new LongAdder();
    private final LongAdder prepareNanos = new LongAdder();
    private volatile long maxNanos;

    /** One gap: the reply's end, the slot handed back, the next call given the slot, its request sent. */
    void record(long replyEnd, long released, long handed, long sent) {
        gaps.increment();
        checkNanos.add(released - replyEnd);
        scheduleNanos.add(handed - released);
        prepareNanos.add(sent - handed);
        long total = sent - replyEnd;
        if (total > maxNanos) {
            maxNanos = total;
        }
    }

    /** Gaps measured. */
    public long gaps() {
        return gaps.sum();
    }

    public double meanCheckMillis() {
        return mean(checkNanos);
    }

    public double meanScheduleMillis() {
        return mean(scheduleNanos);
    }

    public double meanPrepareMillis() {
        return mean(prepareNanos);
    }

    public double meanMillis() {
        return meanCheckMillis() + meanScheduleMillis() + meanPrepareMillis();
    }

    public double maxMillis() {
        return maxNanos / 1e6;
    }

    private double mean(LongAdder nanos) {
        long n = gaps.sum();
        return n == 0 ? 0 : nanos.sum() / 1e6 / n;
    }
}
