package dev.guidesmith.status;

import dev.guidesmith.jobs.ItemFailure;
import dev.guidesmith.jobs.ItemOutcome;
import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobCounts;
import dev.guidesmith.jobs.JobListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of the run since the service started: items accepted, finished (newly, or found done
 * already), failed; and the finishing rate over a recent window, from which the ETA follows. Fed
 * by the job events; the items of a resumed job that an earlier run settled count as found done
 * already (or failed).
 */
public final class Progress implements JobListener {

    private final Duration window;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong alreadyDone = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Deque<Long> recent = new ArrayDeque<>();

    public Progress(Duration window) {
        this.window = window;
    }

    @Override
    public void jobStarted(Job job, JobCounts settledBefore) {
        total.addAndGet(job.entries());
        alreadyDone.addAndGet(settledBefore.done() + settledBefore.alreadyDone());
        failed.addAndGet(settledBefore.failed());
    }

    @Override
    public void itemSettled(Job job, ItemOutcome outcome, ItemFailure failure) {
        switch (outcome) {
            case DONE -> guideWritten();
            case ALREADY_DONE -> alreadyDone.incrementAndGet();
            case FAILED -> failed.incrementAndGet();
        }
    }

    private void guideWritten() {
        written.incrementAndGet();
        long now = System.nanoTime();
        synchronized (recent) {
            recent.addLast(now);
            trim(now);
        }
    }

    public Snapshot snapshot() {
        long now = System.nanoTime();
        double perMinute;
        synchronized (recent) {
            trim(now);
            double span = Math.min(window.toNanos(), now - startedNanos) / 60e9;
            perMinute = span <= 0 ? 0 : recent.size() / span;
        }
        return new Snapshot(total.get(), written.get(), alreadyDone.get(), failed.get(), perMinute,
                Duration.ofNanos(now - startedNanos));
    }

    private void trim(long now) {
        while (!recent.isEmpty() && now - recent.peekFirst() > window.toNanos()) {
            recent.removeFirst();
        }
    }

    /**
     * @param written     guides written by this run
     * @param alreadyDone problems found finished by an earlier run or another job (no calls made)
     * @param perMinute   guides written per minute over the recent window
     */
    public record Snapshot(long total, long written, long alreadyDone, long failed, double perMinute, Duration uptime) {

        public long done() {
            return written + alreadyDone;
        }

        /** Done or failed: nothing more will happen to these. */
        public long settled() {
            return done() + failed;
        }

        /** Settled share of the total in whole percent, rounded down (100 only when all are settled). */
        public int settledPercent() {
            return total == 0 ? 0 : (int) Math.min(100, settled() * 100 / total);
        }

        public long remaining() {
            return Math.max(0, total - settled());
        }

        /** Time to finish at the recent rate; null while there is no rate yet. */
        public Duration eta() {
            if (remaining() == 0) {
                return Duration.ZERO;
            }
            return perMinute <= 0 ? null : Duration.ofSeconds((long) (remaining() / perMinute * 60));
        }
    }
}
