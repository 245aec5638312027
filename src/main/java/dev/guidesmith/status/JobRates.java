package dev.guidesmith.status;

import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobCounts;
import dev.guidesmith.jobs.JobListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How fast each job under way settles its items in this run (since it began or resumed), and so
 * when it will end at that pace.
 */
public final class JobRates implements JobListener {

    private record Start(long nanos, long settled) {
    }

    private final Map<String, Start> started = new ConcurrentHashMap<>();

    @Override
    public void jobStarted(Job job, JobCounts settledBefore) {
        started.put(job.id(), new Start(System.nanoTime(), settledBefore.settled()));
    }

    @Override
    public void jobFinished(Job job, JobCounts counts) {
        started.remove(job.id());
    }

    /** Items per minute this run has settled of the job (0 before the first, or for a job not seen beginning). */
    public double perMinute(String job, long settledNow) {
        Start start = started.get(job);
        if (start == null) {
            return 0;
        }
        double minutes = (System.nanoTime() - start.nanos) / 60e9;
        long settled = settledNow - start.settled;
        return minutes <= 0 || settled <= 0 ? 0 : settled / minutes;
    }

    /** The time left at that pace; null while there is no pace yet. */
    public static Duration eta(long remaining, double perMinute) {
        if (remaining <= 0) {
            return Duration.ZERO;
        }
        return perMinute <= 0 ? null : Duration.ofSeconds((long) Math.ceil(remaining / perMinute * 60));
    }
}
