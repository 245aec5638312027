package dev.guidesmith.jobs;

/** How an item of a job was settled. */
public enum ItemOutcome {
    /** Its result was written by this run. */
    DONE,
    /** Its result existed already (an earlier run, or another job with the same item). */
    ALREADY_DONE,
    /** It failed; a failure record says why. */
    FAILED
}
