package dev.guidesmith.batch;

import dev.guidesmith.support.AtomicFiles;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every batch the service knows, each in {@code <work>/batches/<id>.json}, written atomically at
 * every change of status, so batches and their ids survive restarts. All of them are in memory:
 * a record is small, and there are few batches (each may hold 200,000 requests).
 */
public final class BatchRecords {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRecords.class);
    private static final Pattern ID = Pattern.compile("batch_[0-9a-f]{24}");

    private final Path folder;
    private final Map<String, BatchRecord> byId = new LinkedHashMap<>();
    private final Map<String, String> idByJob = new HashMap<>();

    public BatchRecords(Path folder) {
        this.folder = folder;
    }

    /** Reads the records earlier runs left. */
    public synchronized BatchRecords load() {
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
    public synchronized BatchRecord create(String name, String inputFileId, String endpoint, String completionWindow,
                                           Long expiresAt, Map<String, String> metadata) {
        BatchRecord record = new BatchRecord();
        record.id = newId();
        record.name = name;
        record.inputFileId = inputFileId;
        record.endpoint = endpoint;
        record.completionWindow = completionWindow;
        record.metadata = new LinkedHashMap<>(metadata);
        record.createdAt = now();
        record.expiresAt = expiresAt;
        index(record);
        save(record);
        return record;
    }

    public synchronized Optional<BatchRecord> get(String id) {
        return id != null && ID.matcher(id).matches() ? Optional.ofNullable(byId.get(id)) : Optional.empty();
    }

    /** The record of the batch a job runs, or empty when the job is not a batch's. */
    public synchronized Optional<BatchRecord> forJob(String job) {
        return Optional.ofNullable(idByJob.get(job)).map(byId::get);
    }

    /** Newest first. */
    public synchronized List<BatchRecord> all() {
        List<BatchRecord> records = new ArrayList<>(byId.values());
        records.sort(Comparator.comparingLong((BatchRecord r) -> r.createdAt).thenComparing(r -> r.id).reversed());
        return records;
    }

    /** Changes a record and writes it down; returns it. */
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
    public synchronized boolean resultsNamed(String outputFile) {
        return byId.values().stream().anyMatch(record -> outputFile.equals(record.outputFile));
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    private static String newId() {
        StringBuilder id = new StringBuilder("batch_");
        for (int i = 0; i < 24; i++) {
            id.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
        }
        return id.toString();
    }
}
