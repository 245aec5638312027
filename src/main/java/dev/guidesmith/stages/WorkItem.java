package dev.guidesmith.stages;

import dev.guidesmith.jobs.ItemRef;
import dev.guidesmith.problems.Problem;
import java.util.Map;

/**
 * A problem on its way through the stages: where it is (its job, its position there, the stage it
 * is at), the problem, and the fingerprints planned for it. Plain data, the same at every step: the
 * results gathered so far are in the stage cache under those fingerprints, so the message between
 * stages stays small and can cross a broker.
 *
 * @param doneKey identifies this problem's guide as this pipeline makes it: same key, same guide
 * @param checks  how the guide came through its checks; null until it was checked
 */
public record WorkItem(String job, long position, Problem problem, Map<String, String> fingerprints, String doneKey,
                       String stage, CheckOutcome checks) implements ItemRef {

    public WorkItem {
        fingerprints = Map.copyOf(fingerprints);
    }

    /** A planned item, not checked yet. */
    public WorkItem(String job, long position, Problem problem, Map<String, String> fingerprints, String doneKey,
                    String stage) {
        this(job, position, problem, fingerprints, doneKey, stage, null);
    }

    /** The same item at another stage. */
    public WorkItem at(String stageName) {
        return new WorkItem(job, position, problem, fingerprints, doneKey, stageName, checks);
    }

    /** The same item, with how its guide came through the checks. */
    public WorkItem checked(CheckOutcome outcome) {
        return new WorkItem(job, position, problem, fingerprints, doneKey, stage, outcome);
    }

    /** Its guide may be counted done and good: every check passed (or there were none). */
    public boolean trusted() {
        return checks == null || checks.ok();
    }

    /** The stage's fingerprint, or null when the problem itself supplies the stage's output. */
    public String fingerprint(String stageName) {
        return fingerprints.get(stageName);
    }

    @Override
    public String toString() {
        return problem + " at " + stage;
    }
}
