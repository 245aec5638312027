package dev.guidesmith.checks;

import dev.guidesmith.guide.GuideView;
import dev.guidesmith.stages.CheckFailure;
import dev.guidesmith.stages.CheckOutcome;
import dev.guidesmith.stages.StageCatalog;
import dev.guidesmith.stages.StageDefinition;
import dev.guidesmith.stages.StageRepair;
import dev.guidesmith.stages.StageResults;
import dev.guidesmith.stages.WorkItem;
import dev.guidesmith.support.Hashing;
import dev.guidesmith.support.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks of a guide, as the checks route uses them: a first round on the guide as its stage
 * results would render it, another round after each repair, and at the end the outcome the item
 * carries to the render step. The code a check reads is the code the guide would show (without the
 * Markdown fences models like to add).
 */
public final class GuideChecks {

    private static final Logger LOG = LoggerFactory.getLogger(GuideChecks.class);

    private final CheckCatalog checks;
    private final CommandRunner runner;
    private final StageCatalog stages;
    private final StageResults results;
    private final CheckStats stats;
    private final Set<String> repairable;

    public GuideChecks(CheckCatalog checks, CommandRunner runner, StageCatalog stages, StageResults results, CheckStats stats) {
        this.checks = checks;
        this.runner = runner;
        this.stages = stages;
        this.results = results;
        this.stats = stats;
        this.repairable = stages.stages().stream().filter(StageDefinition::repairable).map(StageDefinition::name)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The first round of checks on the item's guide. */
    public CheckRound begin(WorkItem item) {
        CheckRound round = CheckRound.first(run(item, null), repairable, checks.repairs());
        tellRepair(item, round);
        return round;
    }

    /** The round after the repair {@code previous} asked for was made. */
    public CheckRound again(WorkItem item, CheckRound previous) {
        StageRepair made = previous.repair();
        CheckRound round = previous.after(made, run(item, previous));
        if (round.passed()) {
            LOG.info("{} passes its checks after {} repair(s)", item.problem(), round.repairCalls());
        } else {
            tellRepair(item, round);
        }
        return round;
    }

    /** The item with how its guide came through the checks (unchanged when there are no checks). */
    public WorkItem settle(WorkItem item, CheckRound round) {
        if (checks.active().isEmpty()) {
            return item;
        }
        CheckOutcome outcome = round.outcome();
        stats.settled(outcome);
        return item.checked(outcome);
    }

    /** The guide was written although it fails its checks: it is listed for review, and said so. */
    public void needsReview(WorkItem item, Path guide) {
        CheckOutcome outcome = item.checks();
        List<String> failed = outcome.failedChecks();
        stats.needsReview(item.job(), new CheckStats.Review(item.problem().id(), item.problem().title(),
                guide.getFileName().toString(), failed));
        LOG.warn("{} fails check(s) {} after {} repair(s): {} is written marked \"checks: failed\" and listed under"
                        + " Needs review; drop the problem again to retry only its checks and repairs. {}",
                item.problem(), String.join(", ", failed), outcome.repairCalls(), guide, firstLine(outcome.failed().get(0).message()));
    }

    private void tellRepair(WorkItem item, CheckRound round) {
        StageRepair repair = round.repair();
        if (repair != null) {
            LOG.info("{} fails check {} ({}); asking stage {} again (repair {} of {})", item.problem(),
                    String.join(", ", repair.failures().stream().map(CheckFailure::check).distinct().toList()),
                    firstLine(repair.failures().get(0).error()), repair.stage(), repair.attempt(), checks.repairs());
        }
    }

    /** Every check on the guide as it is now; code a check already ran on ({@code before}) keeps its verdict. */
    private List<CheckRound.Result> run(WorkItem item, CheckRound before) {
        if (checks.active().isEmpty()) {
            return List.of();
        }
        Map<String, Object> view = GuideView.content(item, results.all(item), stages);
        List<CheckRound.Result> round = new ArrayList<>();
        for (CheckDefinition check : checks.active()) {
            round.add(check.isSections() ? sections(item, check, view) : command(item, check, view, before));
        }
        return round;
    }

    private CheckRound.Result sections(WorkItem item, CheckDefinition check, Map<String, Object> view) {
        Map<String, List<String>> byRoot = new LinkedHashMap<>();
        for (GuidePath path : check.require()) {
            List<String> problems = path.problemsIn(view);
            if (!problems.isEmpty()) {
                byRoot.computeIfAbsent(path.root(), root -> new ArrayList<>()).addAll(problems);
            }
        }
        if (byRoot.isEmpty()) {
            return new CheckRound.Result(check.name(), CheckRound.Status.PASSED, List.of());
        }
        List<CheckFailure> failures = new ArrayList<>();
        byRoot.forEach((root, problems) -> failures.add(new CheckFailure(check.name(), producer(item, root), "", root, "",
                "The guide needs these sections, which are missing or empty:\n- " + String.join("\n- ", problems))));
        return new CheckRound.Result(check.name(), CheckRound.Status.FAILED, failures);
    }

    private CheckRound.Result command(WorkItem item, CheckDefinition check, Map<String, Object> view, CheckRound before) {
        Object code = check.code().valueIn(view);
        if (!(code instanceof String text) || text.isBlank()) {
            return new CheckRound.Result(check.name(), CheckRound.Status.SKIPPED, List.of()); // the sections check says so
        }
        String data = null;
        if (check.data() != null) {
            Object value = check.data().valueIn(view);
            if (!GuidePath.filled(value)) {
                return new CheckRound.Result(check.name(), CheckRound.Status.SKIPPED, List.of()); // nothing to run it on
            }
            data = Json.compact(value);
        }
        String hash = Hashing.sha256(data == null ? text : text + "\u0000" + data);
        if (before != null) {
            java.util.Optional<CheckRound.Result> known = before.verdictOn(check.name(), hash);
            if (known.isPresent()) {
                return known.get(); // the repair left this code as it was
            }
        }
        CommandRunner.Verdict verdict = runner.run(check, text, data);
        if (verdict.passed()) {
            return new CheckRound.Result(check.name(), CheckRound.Status.PASSED, List.of(), hash);
        }
        if (!verdict.ran()) {
            return new CheckRound.Result(check.name(), CheckRound.Status.SKIPPED, List.of());
        }
        String stage = item.fingerprint(check.stage()) != null ? check.stage() : null;
        return new CheckRound.Result(check.name(), CheckRound.Status.FAILED, List.of(new CheckFailure(check.name(), stage,
                check.language(), check.code().inside(), text, verdict.message())), hash);
    }

    /** The stage that made the output {@code root} for this item, or null (a problem field, or the input supplied it). */
    private String producer(WorkItem item, String root) {
        return stages.producing(root).map(StageDefinition::name).filter(stage -> item.fingerprint(stage) != null).orElse(null);
    }

    /** The line of a tool's output that says what is wrong: the first one naming an error, else the first. */
    static String firstLine(String text) {
        String[] lines = text.strip().split("\n");
        for (String line : lines) {
            if (line.toLowerCase(java.util.Locale.ROOT).contains("error")) {
                return line.strip();
            }
        }
        return lines[0].strip();
    }
}
