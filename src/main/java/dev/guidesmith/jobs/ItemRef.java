package dev.guidesmith.jobs;

/**
 * Where an item of a job is: enough to settle it, whatever its kind. Items are numbered by their
 * position in the job's file, which is stable across reads, so a resumed job can skip the ones
 * already settled.
 */
public interface ItemRef {

    String job();

    long position();

    /** The step it is in ({@code input} before it entered the pipeline). */
    String stage();
}
