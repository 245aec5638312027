package dev.guidesmith.jobs;

/** A job under way as the status page shows it: what it is and how far it got. */
public record JobStatus(String id, String kind, String name, long entries, long done, long alreadyDone, long failed,
                        long settled) {

    public JobCounts counts() {
        return new JobCounts(done, alreadyDone, failed);
    }

    static JobStatus of(Job job, JobCounts counts) {
        return new JobStatus(job.id(), job.kind(), job.name(), job.entries(), counts.done(), counts.alreadyDone(),
                counts.failed(), counts.settled());
    }
}
