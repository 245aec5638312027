package dev.guidesmith.checks;

import dev.guidesmith.stages.CheckFailure;
import dev.guidesmith.stages.CheckOutcome;
import dev.guidesmith.stages.StageRepair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the checking of one guide stands: the verdicts of the first round and of the latest one,
 * and how often each stage was asked again. It lives in one exchange of the checks route, from the
 * first round through the repairs (the loop runs while {@link #repairDue()}), and is not carried
 * further: what the render step needs is its {@link #outcome()}.
 */
public final class CheckRound {

    /** PASSED, FAILED, or SKIPPED: nothing to check in this guide, or the tool could not run. */
    public enum Status { PASSED, FAILED, SKIPPED }

    /**
     * One check's verdict; a failure per stage whose result it found wrong.
     *
     * @param codeHash what a command check ran on (a hash), so an unchanged piece of code is not checked
     *                 again after a repair of something else; null for a sections check
     */
    public record Result(String check, Status status, List<CheckFailure> failures, String codeHash) {

        public Result {
            failures = List.copyOf(failures);
        }

        Result(String check, Status status, List<CheckFailure> failures) {
            this(check, status, failures, null);
        }

        /** The first line of what the check said. */
        String summary() {
            if (failures.isEmpty()) {
                return "";
            }
            String error = failures.get(0).error().strip();
            int end = error.indexOf('\n');
            return end < 0 ? error : error.substring(0, end);
        }
    }

    /** The most of a failure's message the item carries on to its guide. */
    static final int MESSAGE_CHARS = 1500;

    private final List<Result> first;
    private final List<Result> latest;
    private final Map<String, Integer> repairsByStage;
    private final Set<String> repairable;
    private final int maxRepairs;
    private final int repairCalls;

    private CheckRound(List<Result> first, List<Result> latest, Map<String, Integer> repairsByStage, Set<String> repairable,
                       int maxRepairs, int repairCalls) {
        this.first = List.copyOf(first);
        this.latest = List.copyOf(latest);
        this.repairsByStage = Map.copyOf(repairsByStage);
        this.repairable = Set.copyOf(repairable);
        this.maxRepairs = maxRepairs;
        this.repairCalls = repairCalls;
    }

    /**
     * @param repairable the stages that can be asked again (they have a repair prompt)
     * @param maxRepairs how often each stage may be asked again for one guide
     */
    static CheckRound first(List<Result> results, Set<String> repairable, int maxRepairs) {
        return new CheckRound(results, results, Map.of(), repairable, maxRepairs, 0);
    }

    /** The round after {@code repair} was made. */
    CheckRound after(StageRepair repair, List<Result> results) {
        Map<String, Integer> repairs = new HashMap<>(repairsByStage);
        repairs.merge(repair.stage(), 1, Integer::sum);
        return new CheckRound(first, results, repairs, repairable, maxRepairs, repairCalls + 1);
    }

    /** A check fails on a stage's result, and that stage may still be asked again. */
    public boolean repairDue() {
        return repair() != null;
    }

    /**
     * The next repair: the first stage (in the order of the failing checks) that can be asked again
     * and has repairs left, with everything that fails in its result; null when none is due.
     */
    public StageRepair repair() {
        String stage = null;
        List<CheckFailure> failures = new ArrayList<>();
        for (Result result : latest) {
            if (result.status() != Status.FAILED) {
                continue;
            }
            for (CheckFailure failure : result.failures()) {
                if (stage == null && failure.stage() != null && repairable.contains(failure.stage())
                        && repairsByStage.getOrDefault(failure.stage(), 0) < maxRepairs) {
                    stage = failure.stage();
                }
                if (failure.stage() != null && failure.stage().equals(stage)) {
                    failures.add(failure);
                }
            }
        }
        return stage == null ? null : new StageRepair(stage, failures, repairsByStage.getOrDefault(stage, 0) + 1);
    }

    /** Every check passed (or had nothing to check). */
    public boolean passed() {
        return latest.stream().noneMatch(r -> r.status() == Status.FAILED);
    }

    public int repairCalls() {
        return repairCalls;
    }

    public List<Result> latest() {
        return latest;
    }

    /** The latest verdict of a check on exactly this code, if it ran on it. */
    java.util.Optional<Result> verdictOn(String check, String codeHash) {
        return latest.stream().filter(r -> r.check().equals(check) && codeHash.equals(r.codeHash())).findFirst();
    }

    /** What the guide carries on: which checks passed at once, passed after a repair, still fail. */
    public CheckOutcome outcome() {
        List<String> passed = new ArrayList<>();
        List<String> repaired = new ArrayList<>();
        List<CheckOutcome.Failed> failed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < latest.size(); i++) {
            Result now = latest.get(i);
            switch (now.status()) {
                case PASSED -> (first.get(i).status() == Status.FAILED ? repaired : passed).add(now.check());
                case SKIPPED -> skipped.add(now.check());
                case FAILED -> failed.add(new CheckOutcome.Failed(now.check(), message(now)));
            }
        }
        return new CheckOutcome(passed, repaired, failed, skipped, repairCalls);
    }

    private static String message(Result result) {
        StringBuilder text = new StringBuilder();
        for (CheckFailure failure : result.failures()) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(failure.error().strip());
        }
        return text.length() <= MESSAGE_CHARS ? text.toString() : text.substring(0, MESSAGE_CHARS) + "\n[…]";
    }
}
