package dev.guidesmith.jobs;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes what happens to jobs to the {@link JobListener}s. */
public final class JobEvents {

    private static final Logger LOG = LoggerFactory.getLogger(JobEvents.class);

    private final List<JobListener> listeners = new CopyOnWriteArrayList<>();

    public void subscribe(JobListener listener) {
        listeners.add(listener);
    }

    void jobStarted(Job job, JobCounts settledBefore) {
        tell("a job's start", listener -> listener.jobStarted(job, settledBefore));
    }

    void itemSettled(Job job, ItemOutcome outcome, ItemFailure failure) {
        tell("a settled item", listener -> listener.itemSettled(job, outcome, failure));
    }

    void jobFinished(Job job, JobCounts counts) {
        tell("a job's end", listener -> listener.jobFinished(job, counts));
    }

    public void failureCleared(String record) {
        tell("a cleared failure", listener -> listener.failureCleared(record));
    }

    /** A listener's trouble (a report that cannot be written) must not stop items from settling. */
    private void tell(String event, Consumer<JobListener> call) {
        for (JobListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("{} failed at {}: {}", listener.getClass().getSimpleName(), event, e.getMessage(), e);
            }
        }
    }
}
