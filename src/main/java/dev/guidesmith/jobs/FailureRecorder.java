package dev.guidesmith.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.llm.ModelCallException;
import dev.guidesmith.problems.InvalidProblemException;
import dev.guidesmith.problems.Problem;
import dev.guidesmith.problems.ProblemEntry;
import dev.guidesmith.problems.SafeName;
import dev.guidesmith.support.AtomicFiles;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead letters: {@code <work>/failed/<id>.json} for each problem that could not become a guide,
 * saying where it failed, why, and after how many attempts. Each record is itself a valid problems
 * file ({@code {"problems": [...], "failure": {...}}}), so retrying failures is dropping the records
 * back into the inbox. A problem that later succeeds loses its record.
 */
public final class FailureRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(FailureRecorder.class);

    private final Path folder;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public FailureRecorder(Path folder) {
        this.folder = folder;
    }

    /**
     * A failure record as written.
     *
     * @param record   the record's name in the failed folder, without {@code .json}
     * @param attempts the attempts the failing stage's model call made (1 for input errors)
     */
    public record Recorded(String record, String job, String stage, String errorClass, int attempts, String message,
                           String time) {
    }

    /** Told of each record written and each record removed (the status page's recent failures, run reports). */
    public interface Listener {
        void recorded(Recorded failure);

        default void cleared(String record) {
        }
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** A problem failed in a stage after its attempts. */
    public void problemFailed(Problem problem, String jobId, String stage, Throwable error, int attempts,
                              Collection<String> endpointsTried) {
        Map<String, Object> failure = failure(jobId, stage, error, attempts, endpointsTried);
        write(SafeName.of(problem.id()), problemJson(problem), failure);
        LOG.warn("{} failed in stage {} after {} attempt(s){}: {} — recorded in {}", problem, stage, attempts,
                endpointsTried.isEmpty() ? "" : " on " + String.join(", ", endpointsTried), error.getMessage(),
                folder.resolve(SafeName.of(problem.id()) + ".json"));
    }

    /**
     * A second version of a problem arrived while the first is in progress. Recorded under its own
     * name, so the first version's outcome neither overwrites nor clears it.
     */
    public void conflictingDuplicate(Problem problem, String jobId, Throwable error) {
        String name = SafeName.of(problem.id()) + ".duplicate-" + SafeName.of(jobId == null ? "unknown" : jobId);
        write(name, problemJson(problem), failure(jobId, "input", error, 1, List.of()));
        LOG.warn("{}: {} — recorded in {}", problem, error.getMessage(), folder.resolve(name + ".json"));
    }

    /** An entry of an input file is not a usable problem. */
    public void entryRejected(ProblemEntry entry, String jobId, Throwable error) {
        String id = error instanceof InvalidProblemException invalid ? invalid.problemId() : null;
        String name = id != null ? SafeName.of(id) : "entry-" + SafeName.of(jobId == null ? "unknown" : jobId) + "-" + entry.position();
        Map<String, Object> failure = failure(jobId, "input", error, 1, List.of());
        failure.put("file", entry.file());
        failure.put("position", entry.position());
        write(name, entry.json(), failure);
        LOG.warn("Skipping {} — recorded in {}", error.getMessage(), folder.resolve(name + ".json"));
    }

    /** The problem has its guide now: an old failure record would only mislead. */
    public void clear(Problem problem) {
        try {
            String record = SafeName.of(problem.id());
            if (Files.deleteIfExists(folder.resolve(record + ".json"))) {
                listeners.forEach(listener -> listener.cleared(record));
            }
        } catch (IOException e) {
            LOG.debug("Could not remove the old failure record of {}: {}", problem, e.getMessage());
        }
    }

    private static Map<String, Object> failure(String jobId, String stage, Throwable error, int attempts,
                                               Collection<String> endpointsTried) {
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("stage", stage);
        failure.put("errorClass", error instanceof ModelCallException call ? call.kind().name() : error.getClass().getSimpleName());
        failure.put("message", error.getMessage());
        failure.put("attempts", attempts);
        failure.put("endpoints", new ArrayList<>(endpointsTried)); // in the order tried
        failure.put("job", jobId);
        failure.put("time", Instant.now().toString());
        failure.put("retry", "drop this file into the inbox to try the problem again");
        return failure;
    }

    private void write(String name, Object problem, Map<String, Object> failure) {
        Map<String, Object> record = new LinkedHashMap<>();
        List<Object> problems = new ArrayList<>();
        if (problem != null) {
            problems.add(problem);
        }
        record.put("problems", problems);
        record.put("failure", failure);
        try {
            AtomicFiles.writeString(folder.resolve(name + ".json"), Json.pretty(record));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a failure record in " + folder.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        Recorded recorded = new Recorded(name, (String) failure.get("job"), (String) failure.get("stage"),
                (String) failure.get("errorClass"), (Integer) failure.get("attempts"), (String) failure.get("message"),
                (String) failure.get("time"));
        listeners.forEach(listener -> listener.recorded(recorded));
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
        return Json.MAPPER.valueToTree(json);
    }
}
