package dev.guidesmith.stages;

import dev.guidesmith.problems.Problem;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A problem on its way through the stages: the problem, the fingerprints planned for it, and the
 * results gathered so far. One stage works on it at a time; the SEDA queues between stages hand it
 * over safely.
 */
public final class WorkItem {

    private final String jobId;
    private final Problem problem;
    private final Map<String, String> fingerprints;
    private final String doneKey;
    private final Map<String, StageResult> results = new LinkedHashMap<>();
    private volatile String stage = "input";

    public WorkItem(String jobId, Problem problem, Map<String, String> fingerprints, String doneKey) {
        this.jobId = jobId;
        this.problem = problem;
        this.fingerprints = Map.copyOf(fingerprints);
        this.doneKey = doneKey;
    }

    public String jobId() {
        return jobId;
    }

    public Problem problem() {
        return problem;
    }

    /** Identifies this problem's guide as this pipeline would make it: same key, same guide. */
    public String doneKey() {
        return doneKey;
    }

    public String fingerprint(String stageName) {
        return fingerprints.get(stageName);
    }

    public synchronized void put(StageResult result) {
        results.put(result.stage(), result);
    }

    public synchronized StageResult result(String stageName) {
        return results.get(stageName);
    }

    public synchronized Map<String, StageResult> results() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }

    /** The stage working on this problem now, or that failed it. */
    public String stage() {
        return stage;
    }

    public void enter(String stageName) {
        this.stage = stageName;
    }

    @Override
    public String toString() {
        return problem + " at " + stage;
    }
}
