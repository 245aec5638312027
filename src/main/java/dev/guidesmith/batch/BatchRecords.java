package dev.guidesmith.batch;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Every batch the service knows, made through the API or from the inbox, kept so that batches and
 * their ids survive restarts: on one node in local files ({@link LocalBatchRecords}); with
 * {@code pipeline.store.url} in the shared PostgreSQL, so every node lists, reads and cancels every
 * batch. A record read is a snapshot: change it only through {@link #change}.
 */
public interface BatchRecords {

    Pattern ID = Pattern.compile("batch_[0-9a-f]{24}");

    /** A new batch, being validated. */
    BatchRecord create(String name, String inputFileId, String endpoint, String completionWindow, Long expiresAt,
                       Map<String, String> metadata);

    Optional<BatchRecord> get(String id);

    /** The record of the batch a job runs, or empty when the job is not a batch's. */
    Optional<BatchRecord> forJob(String job);

    /** Newest first. */
    List<BatchRecord> all();

    /** Changes a record and writes it down, at once for every reader; returns it as changed. */
    BatchRecord change(String id, Consumer<BatchRecord> change);

    /** Whether some batch's results already go to files of this name. */
    boolean resultsNamed(String outputFile);

    /** Whether this node made the batch: a validation a stop interrupted is resumed by the node that made it. */
    boolean madeHere(BatchRecord record);

    /** Whether {@code id} has the shape of a batch id (not whether such a batch exists). */
    static boolean isBatchId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** A record that is new: validating, made now, with a fresh id. */
    static BatchRecord newRecord(String name, String inputFileId, String endpoint, String completionWindow, Long expiresAt,
                                 Map<String, String> metadata) {
        BatchRecord record = new BatchRecord();
        record.id = newId();
        record.name = name;
        record.inputFileId = inputFileId;
        record.endpoint = endpoint;
        record.completionWindow = completionWindow;
        record.metadata = new LinkedHashMap<>(metadata);
        record.createdAt = now();
        record.expiresAt = expiresAt;
        return record;
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
