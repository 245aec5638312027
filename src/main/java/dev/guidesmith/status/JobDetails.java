package dev.guidesmith.status;

import dev.guidesmith.jobs.Job;
import java.util.Optional;

/**
 * What a job kind shows of its jobs beyond their counts: figures of a job under way (on the status
 * page and in {@code /status}), and a section of its run report.
 */
public interface JobDetails {

    /** Extra figures of a job under way, as JSON-able data, or empty. */
    Optional<Object> live(String jobId);

    /** A section for a finished job's run report, or empty. */
    Optional<ReportSection> report(Job job);

    /** Markdown for the report, and the same figures as data for its JSON. */
    record ReportSection(String markdown, Object data) {
    }
}
