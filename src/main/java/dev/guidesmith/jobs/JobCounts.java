package dev.guidesmith.jobs;

/** How many items of a job were settled, by outcome. */
public record JobCounts(long done, long alreadyDone, long failed) {

    public static final JobCounts NONE = new JobCounts(0, 0, 0);

    public long settled() {
        return done + alreadyDone + failed;
    }

    public JobCounts plus(ItemOutcome outcome) {
        return switch (outcome) {
            case DONE -> new JobCounts(done + 1, alreadyDone, failed);
            case ALREADY_DONE -> new JobCounts(done, alreadyDone + 1, failed);
            case FAILED -> new JobCounts(done, alreadyDone, failed + 1);
        };
    }
}
