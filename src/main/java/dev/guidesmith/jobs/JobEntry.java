package dev.guidesmith.jobs;

/**
 * One entry of a job's file as its kind's reader gave it, before it is planned into an item.
 *
 * @param content what the reader produced (a kind's own type)
 */
public record JobEntry(String job, long position, Object content) implements ItemRef {

    public static final String STAGE = "input";

    @Override
    public String stage() {
        return STAGE;
    }
}
