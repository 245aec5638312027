package dev.guidesmith.jobs;

import dev.guidesmith.status.Progress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows each job's problems to their end (guide written, failed, or found done already) and
 * closes the job when the last one settles.
 */
public final class JobTracker {

    private static final Logger LOG = LoggerFactory.getLogger(JobTracker.class);

    /** How a problem of a job ended. */
    public enum Outcome { WRITTEN, FAILED, ALREADY_DONE }

    private final JobStore store;
    private final Progress progress;
    private final Map<String, Tally> jobs = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public JobTracker(JobStore store, Progress progress) {
        this.store = store;
        this.progress = progress;
    }

    /** What a job came to, once its last problem settled. */
    public record Summary(long written, long alreadyDone, long failed) {
    }

    /** Told when a job starts (or resumes) and when it finishes: run reports, the guide index. */
    public interface Listener {
        default void jobStarted(Job job) {
        }

        void jobFinished(Job job, Summary summary);
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** A job starts (or resumes): its problems count toward the total. */
    public Job begin(Job job) {
        if (jobs.putIfAbsent(job.id(), new Tally(job)) == null) {
            progress.accepted(job.entries());
            LOG.info("Starting {}", job);
            for (Listener listener : listeners) {
                tell(listener, "start", () -> listener.jobStarted(job));
            }
        }
        return job;
    }

    public void written(String jobId) {
        settle(jobId, Outcome.WRITTEN);
    }

    public void failed(String jobId) {
        settle(jobId, Outcome.FAILED);
    }

    public void alreadyDone(String jobId) {
        settle(jobId, Outcome.ALREADY_DONE);
    }

    private void settle(String jobId, Outcome outcome) {
        switch (outcome) {
            case WRITTEN -> progress.guideWritten();
            case FAILED -> progress.failed();
            case ALREADY_DONE -> progress.alreadyDone();
        }
        Tally tally = jobId == null ? null : jobs.get(jobId);
        if (tally == null) {
            return;
        }
        tally.count(outcome);
        if (tally.settled() == tally.job.entries() && jobs.remove(jobId, tally)) {
            store.finish(tally.job);
            LOG.info("Finished {}: {} guide(s) written, {} already done, {} failed{}", tally.job, tally.written,
                    tally.alreadyDone, tally.failed, tally.failed.get() > 0 ? " (see the failed folder of pipeline.work)" : "");
            Summary result = new Summary(tally.written.get(), tally.alreadyDone.get(), tally.failed.get());
            for (Listener listener : listeners) {
                tell(listener, "end", () -> listener.jobFinished(tally.job, result));
            }
        }
    }

    /** A listener's trouble (a report that cannot be written) must not stop problems from settling. */
    private static void tell(Listener listener, String event, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed at a job's {}: {}", listener.getClass().getSimpleName(), event, e.getMessage(), e);
        }
    }

    /** Jobs under way, for status reports. */
    public int activeJobs() {
        return jobs.size();
    }

    private static final class Tally {
        final Job job;
        final AtomicLong written = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong alreadyDone = new AtomicLong();

        Tally(Job job) {
            this.job = job;
        }

        void count(Outcome outcome) {
            switch (outcome) {
                case WRITTEN -> written.incrementAndGet();
                case FAILED -> failed.incrementAndGet();
                case ALREADY_DONE -> alreadyDone.incrementAndGet();
            }
        }

        long settled() {
            return written.get() + failed.get() + alreadyDone.get();
        }
    }
}
