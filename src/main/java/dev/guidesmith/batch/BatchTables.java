package dev.guidesmith.batch;

import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobCounts;
import dev.guidesmith.jobs.JobListener;
import dev.guidesmith.support.AtomicFiles;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch's answers as a table people open in a spreadsheet: {@code <output>/batches/<name>.results.csv},
 * one row per request in input order, the input's columns (a job file's table; else the custom_id),
 * then the answer (the schema's fields as columns, when the job file gives a schema), the status,
 * the error, and the tokens. Rewritten atomically as the batch settles, and once more at its end,
 * with its summary ({@link BatchSummary}, also {@code <name>.summary.json}). Memory stays small: the
 * answers are read back from the result files by offset, row by row.
 */
public final class BatchTables implements JobListener {

    private static final Logger LOG = LoggerFactory.getLogger(BatchTables.class);
    static final List<String> TRAILING = List.of("status", "error", "prompt_tokens", "cached_tokens", "output_tokens");

    private final BatchRecords records;
    private final Path folder;
    private final Map<String, Job> running = new ConcurrentHashMap<>();
    private final Map<String, Long> resultBytes = new ConcurrentHashMap<>();
    private final Map<String, BatchSummary> summaries = new ConcurrentHashMap<>();
    private volatile long lastWriteNanos;
    private volatile long lastWriteEnded = System.nanoTime();

    public BatchTables(BatchRecords records, Path folder) {
        this.records = records;
        this.folder = folder;
    }

    @Override
    public void jobStarted(Job job, JobCounts settledBefore) {
        if (BatchJobKind.NAME.equals(job.kind())) {
            running.put(job.id(), job);
        }
    }

    @Override
    public void jobFinished(Job job, JobCounts counts) {
        if (running.remove(job.id()) != null) {
            records.forJob(job.id()).ifPresent(record -> write(record, job));
            resultBytes.remove(job.id());
            summaries.remove(job.id());
        }
    }

    /**
     * Rewrites the tables of the batches under way whose results grew, unless that would take more
     * than a tenth of the time (a million-row table is not rewritten every few seconds).
     */
    public void refresh() {
        if (System.nanoTime() - lastWriteEnded < 9 * lastWriteNanos) {
            return;
        }
        for (Job job : running.values()) {
            records.forJob(job.id()).ifPresent(record -> {
                long bytes = size(record.outputFile) + size(record.errorFile);
                if (!Long.valueOf(bytes).equals(resultBytes.put(job.id(), bytes))) {
                    summaries.put(job.id(), write(record, job));
                }
            });
        }
    }

    /** The summary of a batch under way, as of its table's last rewrite. */
    public Optional<BatchSummary> summary(String job) {
        return Optional.ofNullable(summaries.get(job));
    }

    private long size(String file) {
        try {
            return file == null ? 0 : Files.exists(folder.resolve(file)) ? Files.size(folder.resolve(file)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Writes the table and the summary; returns the summary. */
    BatchSummary write(BatchRecord record, Job job) {
        long started = System.nanoTime();
        String stem = record.outputFile.substring(0, record.outputFile.length() - ".output.jsonl".length());
        Path table = folder.resolve(stem + ".results.csv");
        try (ResultIndex index = ResultIndex.of(folder.resolve(record.outputFile), folder.resolve(record.errorFile));
             RequestRows rows = RequestRows.of(job.folder())) {
            BatchSummaries summary = new BatchSummaries(rows.numericAnswerFields());
            AtomicFiles.write(table, writer -> {
                List<String> header = new ArrayList<>(rows.inputColumns());
                header.addAll(rows.answerColumns());
                header.addAll(TRAILING);
                // not closed here: the writer is the atomic file's, which syncs and closes it
                CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get());
                while (rows.hasNext()) {
                    RequestRows.Row row = rows.next();
                    String line = index.line(row.position());
                    List<String> cells = new ArrayList<>(row.inputValues());
                    cells.addAll(BatchResultRow.of(line == null ? null : Json.MAPPER.readTree(line), rows.answerColumns(),
                            rows.schemaAnswers(), summary).cells());
                    csv.printRecord(cells);
                }
                csv.flush();
            });
            BatchSummary result = summary.result();
            AtomicFiles.writeString(folder.resolve(stem + ".summary.json"), Json.pretty(result));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + table.toAbsolutePath() + " (" + e.getMessage()
                    + "): check free disk space and permissions of pipeline.output", e);
        } finally {
            lastWriteNanos = System.nanoTime() - started;
            lastWriteEnded = System.nanoTime();
            LOG.debug("Wrote {} in {} ms", table, lastWriteNanos / 1_000_000);
        }
    }

}
