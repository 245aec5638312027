package dev.guidesmith.batch;

import dev.guidesmith.support.AtomicFiles;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every batch one node knows, each in {@code <work>/batches/<id>.json}, written atomically at
 * every change of status, so batches and their ids survive restarts. All of them are in memory:
 * a record is small, and there are few batches (each may hold 200,000 requests).
 */
public final class LocalBatchRecords implements BatchRecords {

    private static final Logger LOG = LoggerFactory.getLogger(LocalBatchRecords.class);

    private final Path folder;
    private final Map<String, BatchRecord> byId = new LinkedHashMap<>();
    private final Map<String, String> idByJob = new HashMap<>();

    public LocalBatchRecords(Path folder) {
        this.folder = folder;
    }

    /** Reads the records earlier runs left. */
    public synchronized LocalBatchRecords load() {
        if (!Files.isDirectory(folder)) {
            return this;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "batch_*.json")) {
            for (Path file : files) {
                try {
                    index(Json.MAPPER.readValue(file.toFile(), BatchRecord.class));
                } catch (IOException e) {
                    LOG.warn("Skipping the unreadable batch record {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the batches in " + folder.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        return this;
    }

    private void index(BatchRecord record) {
        byId.put(record.id, record);
        if (record.job != null) {
            idByJob.put(record.job, record.id);
        }
    }

    /** A new batch, being validated. */
    @Override
    public synchronized BatchRecord create(String name, String inputFileId, String endpoint, String completionWindow,
                                           Long expiresAt, Map<String, String> metadata) {
        BatchRecord record = BatchRecords.newRecord(name, inputFileId, endpoint, completionWindow, expiresAt, metadata);
        index(record);
        save(record);
        return record;
    }

    @Override
    public synchronized Optional<BatchRecord> get(String id) {
        return BatchRecords.isBatchId(id) ? Optional.ofNullable(byId.get(id)) : Optional.empty();
    }

    /** The record of the batch a job runs, or empty when the job is not a batch's. */
    @Override
    public synchronized Optional<BatchRecord> forJob(String job) {
        return Optional.ofNullable(idByJob.get(job)).map(byId::get);
    }

    /** Newest first. */
    @Override
    public synchronized List<BatchRecord> all() {
        List<BatchRecord> records = new ArrayList<>(byId.values());
        records.sort(Comparator.comparingLong((BatchRecord r) -> r.createdAt).thenComparing(r -> r.id).reversed());
        return records;
    }

    /** Changes a record and writes it down; returns it. */
    @Override
    public synchronized BatchRecord change(String id, Consumer<BatchRecord> change) {
        BatchRecord record = byId.get(id);
        if (record == null) {
            throw new IllegalArgumentException("No batch " + id);
        }
        change.accept(record);
        if (record.job != null) {
            idByJob.put(record.job, record.id);
        }
        save(record);
        return record;
    }

    private void save(BatchRecord record) {
        try {
            AtomicFiles.writeString(folder.resolve(record.id + ".json"), Json.pretty(record));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the batch record " + folder.resolve(record.id + ".json").toAbsolutePath()
                    + " (" + e.getMessage() + "): check free disk space and permissions of pipeline.work", e);
        }
    }

    /** Whether some batch's results already go to files of this name. */
    /** One node made every batch it knows. */
    @Override
    public boolean madeHere(BatchRecord record) {
        return true;
    }

    @Override
    public synchronized boolean resultsNamed(String outputFile) {
        return byId.values().stream().anyMatch(record -> outputFile.equals(record.outputFile));
    }


}
