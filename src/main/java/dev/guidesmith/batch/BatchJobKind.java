package dev.guidesmith.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.jobs.ItemFailure;
import dev.guidesmith.jobs.ItemOutcome;
import dev.guidesmith.jobs.ItemRef;
import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobEntry;
import dev.guidesmith.jobs.JobKind;
import dev.guidesmith.jobs.RejectedFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Batch jobs: an OpenAI batch input file (one request per line) becomes one model call per
 * request, over the whole fleet, with its answer or its failure as a line of the batch's result
 * files. The file is checked whole before any request is sent; a batch that stopped (a crash)
 * resumes from its result files, so no answered request is sent twice.
 */
public final class BatchJobKind implements JobKind {

    public static final String NAME = "batch";
    /** The job folder's batch input file (for a job file: the one made from its table). */
    static final String REQUESTS = "requests.jsonl";
    /** A job file's table and the job file itself, kept in the job's folder. */
    static final String TABLE_CSV = "input.csv";
    static final String TABLE_JSONL = "input.jsonl";
    static final String JOB_FILE = "job.batch.yaml";

    private final BatchFileCheck check;
    private final BatchResults results;
    private final BatchFailures failures;

    public BatchJobKind(BatchFileCheck check, BatchResults results, BatchFailures failures) {
        this.check = check;
        this.results = results;
        this.failures = failures;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String takesWhat() {
        return "an OpenAI batch file (.jsonl, one request a line: {\"custom_id\", \"method\": \"POST\", \"url\": "
                + BatchEndpoint.names() + ", \"body\"}), or a batch job file (<name>.batch.yaml: input, model, prompt)";
    }

    @Override
    public boolean takes(Path file, String name) throws IOException {
        if (BatchJobFile.isJobFile(name)) {
            return true;
        }
        if (!name.toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
            return false;
        }
        JsonNode first = BatchLines.firstLine(file);
        return first != null && first.isObject() && first.has("custom_id") && (first.has("body") || first.has("url"));
    }

    @Override
    public String copyName(String name) {
        return REQUESTS;
    }

    /**
     * A batch job file becomes the batch file it describes, kept with its table and itself in the
     * job's folder (its results table repeats the input's columns); a batch file is kept as it is.
     */
    @Override
    public void keep(Path incoming, Path copy) throws IOException {
        String name = incoming.getFileName().toString();
        if (!BatchJobFile.isJobFile(name)) {
            JobKind.super.keep(incoming, copy);
            return;
        }
        BatchJobFile job = BatchJobFile.read(incoming, name);
        BatchJobCompiler.compile(job, name, copy);
        Path folder = copy.getParent();
        JobKind.super.keep(job.input(), folder.resolve(TableRows.isJsonLines(job.input()) ? TABLE_JSONL : TABLE_CSV));
        JobKind.super.keep(incoming, folder.resolve(JOB_FILE));
    }

    @Override
    public long count(Path copy, String name) {
        BatchFileCheck.Result result = check.check(copy, Optional.empty());
        if (!result.valid()) {
            throw new RejectedFileException(result.summary(name), null);
        }
        return result.requests();
    }

    @Override
    public Entries entries(Job job, BooleanSupplier stopped) throws IOException {
        BatchLines lines = BatchLines.open(job.file(), stopped);
        return new Entries() {
            @Override
            public boolean hasNext() {
                return lines.hasNext();
            }

            @Override
            public JobEntry next() {
                BatchLines.Line line = lines.next();
                return new JobEntry(job.id(), line.number(), line.request() != null ? line.request() : line.problem());
            }

            @Override
            public void close() {
                lines.close();
            }
        };
    }

    @Override
    public BatchItem plan(Job job, JobEntry entry) {
        if (!(entry.content() instanceof BatchRequest request)) {
            // the file was checked whole when it was accepted: a bad line here means it changed since
            throw new IllegalStateException(((BatchProblem) entry.content()).message());
        }
        BatchEndpoint endpoint = BatchEndpoint.of(request.url()).orElseThrow(() -> new IllegalStateException(
                "Line " + request.line() + " has url \"" + request.url() + "\""));
        return new BatchItem(job.id(), entry.position(), request.customId(), endpoint, request.body(), JobEntry.STAGE);
    }

    /** See {@link BatchWork}: the prompt's size and the reply's room. */
    @Override
    public double expectedWork(Job job, ItemRef item) {
        return item instanceof BatchItem request ? BatchWork.expected(request.body()) : 0;
    }

    @Override
    public ItemFailure recordFailure(ItemRef item, Throwable error, ItemFailure failure) {
        BatchItem request = item instanceof BatchItem planned ? planned
                : item instanceof JobEntry entry && entry.content() instanceof BatchRequest line
                        ? new BatchItem(entry.job(), entry.position(), line.customId(), null, line.body(), entry.stage())
                        : null;
        if (request == null) {
            // a line that is no request at all: the file changed after it was checked whole
            return failure.recordedAs("line " + item.position(), "line " + item.position());
        }
        failures.record(request, error, failure);
        return failure.recordedAs(request.customId(), request.customId());
    }

    @Override
    public void recover(Job job, BiConsumer<Long, ItemOutcome> settled) {
        results.recover(job, settled);
    }
}
