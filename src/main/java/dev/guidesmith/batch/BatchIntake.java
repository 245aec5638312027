package dev.guidesmith.batch;

import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobEngine;
import dev.guidesmith.jobs.RejectedFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches made through the API: created at once (status validating), then their input file is
 * checked whole, as OpenAI does, and either the batch fails with the file's problems listed, or
 * it becomes a job like a batch file dropped into the inbox.
 */
public final class BatchIntake {

    private static final Logger LOG = LoggerFactory.getLogger(BatchIntake.class);

    private final BatchRecords records;
    private final FileStore files;
    private final BatchFileCheck check;
    private final JobEngine jobs;

    public BatchIntake(BatchRecords records, FileStore files, BatchFileCheck check, JobEngine jobs) {
        this.records = records;
        this.files = files;
        this.check = check;
        this.jobs = jobs;
    }

    /** A new batch over an uploaded file, to be validated; its arguments were checked by the API. */
    public BatchRecord create(FileObject input, BatchEndpoint endpoint, String completionWindow, Long expiresAt,
                              Map<String, String> metadata) {
        BatchRecord record = records.create(input.filename(), input.id(), endpoint.url(), completionWindow, expiresAt, metadata);
        LOG.info("Batch {} made for {} ({}), {}; validating", record.id, input.filename(), input.id(), endpoint.url());
        return record;
    }

    /**
     * Batches a stop interrupted while they were being validated: they are validated again at start,
     * by the node that made them (another node may be validating its own right now).
     */
    public List<String> waiting() {
        if (jobs.queuesOutliveNode()) {
            return List.of(); // on a broker: it still holds the batches a stop interrupted
        }
        return records.all().stream()
                .filter(r -> r.job == null && (r.status == BatchStatus.VALIDATING || r.status == BatchStatus.CANCELLING))
                .filter(records::madeHere)
                .map(r -> r.id).toList();
    }

    /**
     * Checks a new batch's input file: the batch fails with its problems, or is cancelled if that
     * was asked meanwhile, or becomes a job.
     *
     * @return the job to begin (the route sends it on), or null
     */
    public Job validate(String id) {
        try {
            return validated(id).orElse(null);
        } catch (IOException | RuntimeException e) {
            LOG.error("Validating batch {} failed: {}", id, e.toString(), e);
            fail(id, List.of(new BatchProblem("internal_error", 0, "The service could not read the batch's input file: "
                    + e.getMessage(), null)));
            return null;
        }
    }

    private Optional<Job> validated(String id) throws IOException {
        BatchRecord record = records.get(id).orElseThrow(() -> new IllegalArgumentException("No batch " + id));
        Optional<FileStore.LocalContent> content = files.localContent(record.inputFileId);
        if (content.isEmpty()) {
            fail(id, List.of(new BatchProblem("file_not_found", 0, "The input file " + record.inputFileId
                    + " was deleted before the batch could start.", "input_file_id")));
            return Optional.empty();
        }
        try (FileStore.LocalContent input = content.get()) {
            return validated(id, record, input.path());
        }
    }

    /** Checks the batch's input, on disk at {@code input}, and makes it a job (which keeps its own copy). */
    private Optional<Job> validated(String id, BatchRecord record, Path input) {
        BatchFileCheck.Result result = check.check(input, BatchEndpoint.of(record.endpoint));
        if (!result.valid()) {
            fail(id, result.problems());
            return Optional.empty();
        }
        if (records.get(id).orElseThrow().status == BatchStatus.CANCELLING) {
            records.change(id, r -> {
                r.status = BatchStatus.CANCELLED;
                r.cancelledAt = BatchRecords.now();
            });
            return Optional.empty();
        }
        Job job;
        try {
            job = jobs.accept(input.toString(), id + ".jsonl");
        } catch (RejectedFileException e) {
            fail(id, List.of(new BatchProblem("invalid_file", 0, e.getMessage(), null)));
            return Optional.empty();
        }
        records.change(id, r -> r.job = job.id());
        return Optional.of(job);
    }

    private void fail(String id, List<BatchProblem> problems) {
        BatchRecord failed = records.change(id, r -> {
            r.status = BatchStatus.FAILED;
            r.failedAt = BatchRecords.now();
            r.errors = List.copyOf(problems);
        });
        LOG.warn("Batch {} ({}) failed validation: {} problem(s), the first: {}; no request was sent", id, failed.name,
                problems.size(), problems.isEmpty() ? "" : problems.get(0).message());
    }
}
