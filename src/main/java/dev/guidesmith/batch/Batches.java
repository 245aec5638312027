package dev.guidesmith.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobCounts;
import dev.guidesmith.jobs.JobListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of every batch, inbox file or API call alike: its record follows its job (in progress
 * when the job begins, completed, cancelled or expired when its last request settles), and a
 * batch can be stopped early (cancelled, or past its completion window): its unsent requests are
 * then not sent, and calls already waiting for a slot are given up.
 *
 * <p>With several nodes, a batch's record is shared but its job runs on one node: a batch cancelled
 * through another node's API is stopped by the node running it at its next check
 * ({@link #expireDue}, every {@code pipeline.batch.expiry-check-interval}).
 */
public final class Batches implements JobListener {

    private static final Logger LOG = LoggerFactory.getLogger(Batches.class);

    private final BatchRecords records;
    private final BatchResults results;
    private final BatchStops stops;
    private final FileStore files;
    private final Consumer<String> giveUpWaitingCalls;
    /** The batch jobs running on this node. */
    private final Set<String> runningHere = ConcurrentHashMap.newKeySet();

    /** @param giveUpWaitingCalls makes the calls of a job that wait for a slot fail at once (as cancelled) */
    public Batches(BatchRecords records, BatchResults results, BatchStops stops, FileStore files,
                   Consumer<String> giveUpWaitingCalls) {
        this.records = records;
        this.results = results;
        this.stops = stops;
        this.files = files;
        this.giveUpWaitingCalls = giveUpWaitingCalls;
    }

    @Override
    public void jobStarted(Job job, JobCounts settledBefore) {
        if (!BatchJobKind.NAME.equals(job.kind())) {
            return;
        }
        runningHere.add(job.id());
        BatchRecord record = records.forJob(job.id()).orElseGet(() -> inboxBatch(job));
        records.change(record.id, started -> {
            if (started.outputFile == null) {
                String stem = resultsStem(job);
                started.outputFile = stem + ".output.jsonl";
                started.errorFile = stem + ".errors.jsonl";
            }
            if (started.status == BatchStatus.VALIDATING) {
                started.status = BatchStatus.IN_PROGRESS;
                started.inProgressAt = BatchRecords.now();
            }
            started.total = job.entries();
        });
        if (record.status == BatchStatus.CANCELLING) {
            stops.stop(job.id(), BatchStops.Reason.CANCELLED); // cancelled before a restart: still cancelled
        }
        results.create(job);
    }

    /** A batch file dropped into the inbox has no record until its job begins. */
    private BatchRecord inboxBatch(Job job) {
        String endpoint;
        try {
            JsonNode first = BatchLines.firstLine(job.file());
            endpoint = first == null ? null : first.path("url").asText(null);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + job.file() + ": " + e.getMessage(), e);
        }
        FileObject input;
        try {
            // a job file's requests are the batch file made from it
            input = files.register(job.file(), job.name().endsWith(".jsonl") ? job.name() : job.name() + ".requests.jsonl",
                    "batch");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot register the input of " + job + " as a file: " + e.getMessage(), e);
        }
        BatchRecord record = records.create(job.name(), input.id(), endpoint, null, null, Map.of());
        return records.change(record.id, r -> {
            r.job = job.id();
            r.inputInJob = true;
        });
    }

    /** The batch's result files are named after its input; a name an earlier batch took gets the job's id. */
    private String resultsStem(Job job) {
        String name = job.name();
        String stem = name;
        for (String suffix : new String[] {".jsonl", ".batch.yaml", ".batch.yml"}) {
            if (name.toLowerCase(java.util.Locale.ROOT).endsWith(suffix)) {
                stem = name.substring(0, name.length() - suffix.length());
            }
        }
        if (records.resultsNamed(stem + ".output.jsonl") || Files.exists(results.folder().resolve(stem + ".output.jsonl"))) {
            return stem + "-" + job.id();
        }
        return stem;
    }

    @Override
    public void jobFinished(Job job, JobCounts counts) {
        if (!BatchJobKind.NAME.equals(job.kind())) {
            return;
        }
        results.close(job.id());
        BatchRecord record = records.forJob(job.id()).orElseThrow();
        BatchStops.Reason stopped = stops.of(job.id()).orElse(null);
        BatchUsage used = results.usage(job.id());
        ResultFiles resultFiles = registerResults(record, job);
        BatchRecord ended = records.change(record.id, r -> {
            long now = BatchRecords.now();
            r.outputFileId = resultFiles.output();
            r.errorFileId = resultFiles.errors();
            r.total = job.entries();
            r.completed = counts.done() + counts.alreadyDone();
            r.failed = counts.failed();
            r.usage = used;
            if (r.status == BatchStatus.CANCELLING || stopped == BatchStops.Reason.CANCELLED) {
                r.status = BatchStatus.CANCELLED;
                r.cancelledAt = now;
            } else if (stopped == BatchStops.Reason.EXPIRED) {
                r.status = BatchStatus.EXPIRED;
                r.expiredAt = now;
            } else {
                r.finalizingAt = now;
                r.status = BatchStatus.COMPLETED;
                r.completedAt = now;
            }
        });
        stops.forget(job.id());
        results.forget(job.id());
        runningHere.remove(job.id());
        LOG.info("Batch {} ({}) {}: {} answered, {} failed; results in {}", ended.id, ended.name, ended.status.apiName(),
                ended.completed, ended.failed, results.folder().resolve(ended.outputFile));
    }

    private record ResultFiles(String output, String errors) {
    }

    /**
     * The batch's result files as file objects (OpenAI's output_file_id and error_file_id; an errors
     * file only when a request failed), and its input where its job's folder went.
     */
    private ResultFiles registerResults(BatchRecord record, Job finished) {
        try {
            if (record.inputInJob && record.inputFileId != null && files.get(record.inputFileId).isPresent()) {
                files.relink(record.inputFileId, finished.file());
            }
            String stem = record.outputFile.substring(0, record.outputFile.length() - ".output.jsonl".length());
            java.nio.file.Path output = results.folder().resolve(record.outputFile);
            java.nio.file.Path errors = results.folder().resolve(record.errorFile);
            String outputId = Files.exists(output) ? files.register(output, stem + ".output.jsonl", "batch_output").id() : null;
            String errorsId = Files.exists(errors) ? files.register(errors, stem + ".errors.jsonl", "batch_output").id() : null;
            return new ResultFiles(outputId, errorsId);
        } catch (IOException e) {
            LOG.warn("The results of batch {} are in {}, but could not be registered as files ({}); GET /v1/files will not"
                    + " list them", record.id, results.folder(), e.getMessage());
            return new ResultFiles(null, null);
        }
    }

    /**
     * Stops a batch: no request of it is sent from now on, calls under way finish, and what is
     * written stays.
     *
     * @throws IllegalStateException when the batch has ended already
     */
    public BatchRecord cancel(String id) {
        BatchRecord record = records.get(id).orElseThrow(() -> new IllegalArgumentException("No batch " + id));
        if (record.ended()) {
            throw new IllegalStateException("Batch " + id + " is " + record.status.apiName() + " already: it cannot be cancelled");
        }
        BatchRecord cancelling = records.change(id, r -> {
            if (r.status != BatchStatus.CANCELLING) {
                r.status = BatchStatus.CANCELLING;
                r.cancellingAt = BatchRecords.now();
            }
        });
        if (cancelling.job != null && runningHere.contains(cancelling.job)) {
            stop(cancelling.job, BatchStops.Reason.CANCELLED);
        } // a job not running yet is stopped as it starts; one running on another node at that node's next check
        LOG.info("Batch {} ({}) is cancelled: no more of its requests are sent; calls under way finish", id, record.name);
        return cancelling;
    }

    private void stop(String job, BatchStops.Reason reason) {
        stops.stop(job, reason);
        giveUpWaitingCalls.accept(job);
    }

    /**
     * Stops the batches running here whose completion window has ended, and those cancelled through
     * another node since the last check.
     */
    public void expireDue() {
        if (runningHere.isEmpty()) {
            return;
        }
        long now = BatchRecords.now();
        for (BatchRecord record : records.all()) {
            if (record.job == null || !runningHere.contains(record.job) || stops.of(record.job).isPresent()) {
                continue;
            }
            if (record.status == BatchStatus.CANCELLING) {
                stop(record.job, BatchStops.Reason.CANCELLED);
                LOG.info("Batch {} ({}) was cancelled on another node: no more of its requests are sent", record.id, record.name);
            } else if (record.status == BatchStatus.IN_PROGRESS && record.expiresAt != null && record.expiresAt <= now) {
                stop(record.job, BatchStops.Reason.EXPIRED);
                LOG.info("Batch {} ({}) expired: its completion window of {} ended; its unsent requests are written as"
                        + " batch_expired", record.id, record.name, record.completionWindow);
            }
        }
    }

    /**
     * A batch as it is now.
     *
     * @param running the counts of the batch's job while it runs here (done + already done, failed)
     */
    public BatchView view(BatchRecord record, java.util.Optional<JobCounts> running) {
        if (record.ended() || record.job == null) {
            return new BatchView(record, record.total, record.completed, record.failed, record.usage);
        }
        if (running.isEmpty()) {
            // running on another node (or not started): its results so far, when they are shared
            return results.countsElsewhere(record.job)
                    .map(so -> new BatchView(record, record.total, so.answered(), so.failed(), so.usage()))
                    .orElseGet(() -> new BatchView(record, record.total, record.completed, record.failed, record.usage));
        }
        JobCounts counts = running.get();
        return new BatchView(record, record.total, counts.done() + counts.alreadyDone(), counts.failed(),
                results.usage(record.job));
    }

    /** Before a request is sent: a stopped batch sends nothing more. */
    public void checkStillWanted(BatchItem item) {
        stops.of(item.job()).ifPresent(reason -> {
            throw new BatchStoppedException(reason);
        });
    }
}
