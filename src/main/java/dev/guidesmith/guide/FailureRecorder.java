package dev.guidesmith.guide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.jobs.ItemFailure;
import dev.guidesmith.jobs.JobEvents;
import dev.guidesmith.problems.InvalidProblemException;
import dev.guidesmith.problems.Problem;
import dev.guidesmith.problems.ProblemEntry;
import dev.guidesmith.problems.SafeName;
import dev.guidesmith.support.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead letters of guide jobs: {@code <work>/failed/<id>.json} for each problem that could not become
 * a guide, saying where it failed, why, and after how many attempts. Each record is itself a valid
 * problems file ({@code {"problems": [...], "failure": {...}}}), so retrying failures is dropping
 * the records back into the inbox. A problem that later succeeds loses its record. The records are
 * kept by {@link FailureRecords} (the files; with several nodes, also a shared table).
 */
public final class FailureRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(FailureRecorder.class);

    private final FailureRecords records;
    private final Path folder;
    private final JobEvents events;

    /** @param folder where a user finds the records (named in the log) */
    public FailureRecorder(FailureRecords records, Path folder, JobEvents events) {
        this.records = records;
        this.folder = folder;
        this.events = events;
    }

    /** One node's records: files in {@code folder}. */
    public FailureRecorder(Path folder, JobEvents events) {
        this(new FailureFiles(folder), folder, events);
    }

    /** A problem failed in a stage after its attempts. */
    public ItemFailure problemFailed(Problem problem, ItemFailure failure) {
        String name = SafeName.of(problem.id());
        ItemFailure recorded = failure.recordedAs(problem.id(), name);
        write(name, problemJson(problem), fields(recorded));
        LOG.warn("{} failed in stage {} after {} attempt(s){}: {} — recorded in {}", problem, failure.stage(),
                failure.attempts(), failure.endpoints().isEmpty() ? "" : " on " + String.join(", ", failure.endpoints()),
                failure.message(), folder.resolve(name + ".json"));
        return recorded;
    }

    /**
     * A second version of a problem arrived while the first is in progress. Recorded under its own
     * name, so the first version's outcome neither overwrites nor clears it.
     */
    public ItemFailure conflictingDuplicate(Problem problem, ItemFailure failure) {
        String name = SafeName.of(problem.id()) + ".duplicate-" + SafeName.of(failure.job());
        ItemFailure recorded = failure.recordedAs(problem.id(), name);
        write(name, problemJson(problem), fields(recorded));
        LOG.warn("{}: {} — recorded in {}", problem, failure.message(), folder.resolve(name + ".json"));
        return recorded;
    }

    /** An entry of an input file is not a usable problem. */
    public ItemFailure entryRejected(ProblemEntry entry, Throwable error, ItemFailure failure) {
        String id = error instanceof InvalidProblemException invalid ? invalid.problemId() : null;
        String name = id != null ? SafeName.of(id) : "entry-" + SafeName.of(failure.job()) + "-" + entry.position();
        ItemFailure recorded = failure.recordedAs(id != null ? id : entry.where(), name);
        Map<String, Object> fields = fields(recorded);
        fields.put("file", entry.file());
        fields.put("position", entry.position());
        write(name, entry.json(), fields);
        LOG.warn("Skipping {} — recorded in {}", failure.message(), folder.resolve(name + ".json"));
        return recorded;
    }

    /** The problem has its guide now: an old failure record would only mislead. */
    public void clear(Problem problem) {
        String record = SafeName.of(problem.id());
        if (records.delete(record)) {
            events.failureCleared(record);
        }
    }

    /**
     * The newest records earlier runs left, oldest first, so a restarted service does not show "no
     * failures" beside a folder full of them. Reads only those records.
     */
    public List<ItemFailure> newest(int count) {
        List<ItemFailure> found = new ArrayList<>();
        for (FailureRecords.Stored stored : records.newest(count)) {
            JsonNode record = stored.record();
            JsonNode failure = record.path("failure");
            List<String> endpoints = new ArrayList<>();
            failure.path("endpoints").forEach(e -> endpoints.add(e.asText()));
            found.add(new ItemFailure(text(failure, "job"), failure.path("position").asLong(0),
                    text(record.path("problems").path(0), "id"), stored.name(),
                    text(failure, "stage"), text(failure, "errorClass"), text(failure, "message"),
                    failure.path("attempts").asInt(1), endpoints,
                    failure.hasNonNull("time") ? failure.get("time").asText() : stored.written().toString()));
        }
        return found;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static Map<String, Object> fields(ItemFailure failure) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("stage", failure.stage());
        fields.put("errorClass", failure.errorClass());
        fields.put("message", failure.message());
        fields.put("attempts", failure.attempts());
        fields.put("endpoints", failure.endpoints()); // in the order tried
        fields.put("job", failure.job());
        fields.put("time", failure.time());
        fields.put("retry", "drop this file into the inbox to try the problem again");
        return fields;
    }

    private void write(String name, Object problem, Map<String, Object> failure) {
        Map<String, Object> record = new LinkedHashMap<>();
        List<Object> problems = new ArrayList<>();
        if (problem != null) {
            problems.add(problem);
        }
        record.put("problems", problems);
        record.put("failure", failure);
        records.write(name, Json.MAPPER.valueToTree(record));
    }

    private static JsonNode problemJson(Problem problem) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", problem.numericId() ? (Object) new java.math.BigInteger(problem.id()) : problem.id());
        json.put("title", problem.title());
        json.put("slug", problem.slug());
        json.put("difficulty", problem.difficulty());
        json.put("topics", problem.topics());
        json.put("companies", problem.companies());
        json.put("description", problem.description());
        if (problem.paidOnly()) { // a retry keeps the mark
            json.put("paid_only", true);
        }
        return Json.MAPPER.valueToTree(json);
    }
}
