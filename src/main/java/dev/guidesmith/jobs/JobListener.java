package dev.guidesmith.jobs;

/**
 * Told what happens to jobs: status, progress, run reports and the guide index subscribe. Called on
 * the thread that made it happen; a listener must be quick and thread-safe, and its trouble never
 * stops an item from settling.
 */
public interface JobListener {

    /** A job starts, or resumes with {@code settledBefore} of its items settled by an earlier run. */
    default void jobStarted(Job job, JobCounts settledBefore) {
    }

    /** One item is settled; {@code failure} is set for {@link ItemOutcome#FAILED}. */
    default void itemSettled(Job job, ItemOutcome outcome, ItemFailure failure) {
    }

    /** The last item of the job is settled. */
    default void jobFinished(Job job, JobCounts counts) {
    }

    /** An earlier failure record is gone: its item succeeded since. */
    default void failureCleared(String record) {
    }
}
