package dev.guidesmith.batch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the service knows of one batch, kept in {@code <work>/batches/<id>.json}: the OpenAI batch
 * object's lasting fields (its status and when each status began, its files, its errors), and
 * where its results go. Counts and usage are live while the batch runs and kept here once it ends.
 * Changed only by {@link BatchRecords}, under its lock.
 */
public final class BatchRecord {

    public String id;
    /** The node that made it, when several nodes share the records (null on one node). */
    public String node;
    /** The job that runs it; null until its file was found valid. */
    public String job;
    /** The input's name: the inbox file's, or the uploaded file's. */
    public String name;
    public String endpoint;
    public String inputFileId;
    /** The input's file object points into the job's folder (a batch from the inbox), which moves when it ends. */
    public boolean inputInJob;
    public String completionWindow;
    public Map<String, String> metadata = new LinkedHashMap<>();
    public long createdAt;
    public Long expiresAt;
    public BatchStatus status = BatchStatus.VALIDATING;
    public Long inProgressAt;
    public Long finalizingAt;
    public Long completedAt;
    public Long failedAt;
    public Long expiredAt;
    public Long cancellingAt;
    public Long cancelledAt;
    public List<BatchProblem> errors = new ArrayList<>();
    /** Where its results go, relative to {@code <pipeline.output>/batches/}. */
    public String outputFile;
    public String errorFile;
    public String outputFileId;
    public String errorFileId;
    /** Final figures, once it ended (while it runs they come from its job). */
    public long total;
    public long completed;
    public long failed;
    public BatchUsage usage = BatchUsage.NONE;

    public boolean ended() {
        return status.ended();
    }
}
