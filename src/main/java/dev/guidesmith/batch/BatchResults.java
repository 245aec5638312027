package dev.guidesmith.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guidesmith.jobs.ItemOutcome;
import dev.guidesmith.jobs.Job;
import dev.guidesmith.support.AtomicFiles;
import dev.guidesmith.support.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * A batch's results, in OpenAI's line format, appended to {@code <output>/batches/<name>.output.jsonl}
 * (answers) and {@code <name>.errors.jsonl} (requests that failed) as requests finish, in the
 * order they finish: nothing is held back, so the files are useful while the batch runs and memory
 * does not grow with it (vLLM's run-batch holds every result until the end).
 *
 * <p>A line is written before its request is settled in the job's ledger. After a crash, the
 * results on disk are read back before the job resumes ({@link #recover}): a torn last line is
 * cut off (its request runs again), and a request with a whole line is settled, never sent again.
 * So every {@code custom_id} ends up in exactly one line of one of the two files.
 *
 * <p>With a shared {@link ResultLog} (PostgreSQL), each line is kept there first, once per request,
 * and appended to the file only when it was kept; a job resumed on another node first writes its
 * files again from the log, so they hold every line the dead node kept.
 */
public final class BatchResults {

    private final Path folder;
    private final BatchRecords records;
    private final ResultLog log;
    private final Map<String, JobFiles> open = new ConcurrentHashMap<>();
    private final Map<String, BatchUsage> usage = new ConcurrentHashMap<>();

    /** Results in local files only (one node). */
    public BatchResults(Path folder, BatchRecords records) {
        this(folder, records, ResultLog.FILES_ONLY);
    }

    public BatchResults(Path folder, BatchRecords records, ResultLog log) {
        this.folder = folder;
        this.records = records;
        this.log = log;
    }

    public Path folder() {
        return folder;
    }

    /** A request answered: its response body goes to the output file. */
    public void answered(BatchItem item, JsonNode responseBody, BatchUsage used) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("status_code", 200);
        response.put("request_id", requestId());
        response.set("body", responseBody);
        if (keep(item, true, line(item, response, null), used)) {
            usage.merge(item.job(), used, (a, b) -> a.plus(b.inputTokens(), b.cachedTokens(), b.outputTokens()));
        }
    }

    /** A request the model server refused (its HTTP status and body, as OpenAI reports them). */
    public void refused(BatchItem item, int statusCode, JsonNode body) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("status_code", statusCode);
        response.put("request_id", requestId());
        response.set("body", body);
        keep(item, false, line(item, response, null), BatchUsage.NONE);
    }

    /** A request that failed without an answer from a server (or was never sent: cancelled, expired). */
    public void failed(BatchItem item, String code, String message) {
        ObjectNode error = Json.MAPPER.createObjectNode();
        error.put("code", code);
        error.put("message", message);
        keep(item, false, line(item, null, error), BatchUsage.NONE);
    }

    /** Appends the line to its file once the log kept it: a request already settled elsewhere keeps its first line. */
    private boolean keep(BatchItem item, boolean answered, String line, BatchUsage used) {
        if (!log.keep(new ResultLog.ResultLine(item.job(), item.position(), item.customId(), answered, line, used))) {
            return false;
        }
        JobFiles files = files(item.job());
        (answered ? files.output : files.errors).append(line);
        return true;
    }

    /** What a batch's requests came to so far, when its job runs on another node (from the shared log). */
    public Optional<ResultLog.ResultCounts> countsElsewhere(String job) {
        return log.counts(job);
    }

    /** Tokens the job's answers used, as the servers reported them. */
    public BatchUsage usage(String job) {
        return usage.getOrDefault(job, BatchUsage.NONE);
    }

    /**
     * Before a job resumes: cuts a line torn by a crash off its result files, and reports every
     * request they hold a whole line for (which the ledger may not know yet).
     */
    public void recover(Job job, BiConsumer<Long, ItemOutcome> settled) {
        BatchRecord record = records.forJob(job.id()).orElse(null);
        if (record == null || record.outputFile == null) {
            return; // a job beginning for the first time has no results yet
        }
        if (log.shared()) {
            restore(job.id(), record);
        }
        BatchUsage used = BatchUsage.NONE;
        for (String name : new String[] {record.outputFile, record.errorFile}) {
            Path file = folder.resolve(name);
            if (!Files.exists(file)) {
                continue;
            }
            cutTornLine(file);
            ItemOutcome outcome = name.equals(record.outputFile) ? ItemOutcome.DONE : ItemOutcome.FAILED;
            try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String text;
                while ((text = lines.readLine()) != null) {
                    if (text.isBlank()) {
                        continue;
                    }
                    JsonNode line = Json.MAPPER.readTree(text);
                    settled.accept(positionOf(line.path("id").asText()), outcome);
                    JsonNode tokens = line.path("response").path("body").path("usage");
                    if (outcome == ItemOutcome.DONE && tokens.isObject()) {
                        used = used.plus(tokens.path("prompt_tokens").asLong(), tokens.path("prompt_tokens_details")
                                .path("cached_tokens").asLong(), tokens.path("completion_tokens").asLong());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the results " + file.toAbsolutePath() + " of " + job + ": "
                        + e.getMessage(), e);
            }
        }
        usage.put(job.id(), used);
    }

    /**
     * Writes a job's result files again from the shared log (atomically): the lines kept before,
     * wherever they were written, and no line torn by a crash.
     */
    private void restore(String job, BatchRecord record) {
        for (boolean answers : new boolean[] {true, false}) {
            Path file = folder.resolve(answers ? record.outputFile : record.errorFile);
            try {
                AtomicFiles.write(file, writer -> log.copy(job, answers, writer));
                if (!answers && Files.size(file) == 0) {
                    Files.delete(file); // an errors file only once a request failed, as on one node
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + file.toAbsolutePath() + " again from the shared store ("
                        + e.getMessage() + "): check free disk space and permissions of pipeline.output", e);
            }
        }
    }

    /** The job ended: its files are synced and closed. */
    public void close(String job) {
        JobFiles files = open.remove(job);
        if (files != null) {
            files.close();
        }
    }

    /** Forgets a finished job's usage once its record keeps it. */
    public void forget(String job) {
        usage.remove(job);
    }

    /** Makes the job's output file at its start: an empty one says "nothing answered yet". */
    public void create(Job job) {
        files(job.id()).output.touch();
    }

    private JobFiles files(String job) {
        return open.computeIfAbsent(job, id -> {
            BatchRecord record = records.forJob(id).orElseThrow(() -> new IllegalStateException("Job " + id + " runs no batch"));
            return new JobFiles(new ResultFile(folder.resolve(record.outputFile)), new ResultFile(folder.resolve(record.errorFile)));
        });
    }

    private static String line(BatchItem item, ObjectNode response, ObjectNode error) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("id", "batch_req_" + item.job() + "_" + item.position());
        line.put("custom_id", item.customId());
        line.set("response", response);
        line.set("error", error);
        return Json.compact(line) + "\n";
    }

    static long positionOf(String lineId) {
        return Long.parseLong(lineId.substring(lineId.lastIndexOf('_') + 1));
    }

    private static String requestId() {
        return "req_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /** A kill -9 in the middle of an append leaves a line without its end: that request runs again. */
    private static void cutTornLine(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long end = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (end > 0) {
                one.clear();
                channel.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            if (end < size) {
                channel.truncate(end);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot repair " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private record JobFiles(ResultFile output, ResultFile errors) {
        void close() {
            output.close();
            errors.close();
        }
    }

    /** One result file, appended a whole line at a time. */
    private static final class ResultFile {
        private final Path path;
        private FileChannel channel;

        ResultFile(Path path) {
            this.path = path;
        }

        synchronized void touch() {
            try {
                if (channel == null) {
                    Files.createDirectories(path.getParent());
                    channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + path.toAbsolutePath() + " (" + e.getMessage()
                        + "): check free disk space and permissions of pipeline.output", e);
            }
        }

        synchronized void append(String line) {
            touch();
            try {
                ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot append to " + path.toAbsolutePath() + " (" + e.getMessage()
                        + "): check free disk space and permissions of pipeline.output", e);
            }
        }

        synchronized void close() {
            try {
                if (channel != null) {
                    channel.force(true);
                    channel.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
