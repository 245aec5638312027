package dev.guidesmith.jobs;

import java.util.Map;

/**
 * The state of every item of the jobs under way: settled (done or failed, durably), or in the
 * pipeline at some step. Done, admission and job completion are transitions here, never callbacks
 * of a message finishing, so they hold whether items travel over in-memory queues or a broker.
 * One node keeps it in files and memory ({@link LocalItemStore}); several nodes would keep it in a
 * shared database, with the node that holds an item and a lease on it.
 */
public interface ItemStore {

    /** Opens a job's item state; returns what an earlier run settled. */
    JobCounts open(Job job);

    boolean isSettled(String job, long position);

    /** What a job under way came to so far. */
    JobCounts counts(String job);

    /** The item entered the pipeline. */
    void admit(ItemRef item);

    /** The item reached a step. */
    void advance(ItemRef item, String stage);

    /** Settles an item, durably; a second settle of the same item changes nothing. */
    Settlement settle(ItemRef item, ItemOutcome outcome);

    /** The job is finished: its state is closed. */
    void close(Job job);

    /** Items in the pipeline now, by the step they are at. */
    Map<String, Integer> inFlightByStage();

    /**
     * @param counts   the job's counts after it, or null when the item was settled already
     * @param admitted whether the item was in the pipeline (it held room there)
     */
    record Settlement(JobCounts counts, boolean admitted) {

        public boolean settledNow() {
            return counts != null;
        }
    }
}
