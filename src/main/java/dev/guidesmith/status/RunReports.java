package dev.guidesmith.status;

import com.samskivert.mustache.Template;
import dev.guidesmith.checks.CheckStats;
import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobCounts;
import dev.guidesmith.jobs.JobListener;
import dev.guidesmith.stages.StageStats;
import dev.guidesmith.llm.CallUsage;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.support.AtomicFiles;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a run report when a job finishes: {@code <work>/reports/<job>.json} (the {@link RunReport}
 * as it is) and {@code <job>.md} (through the report template). A job's figures are the counters'
 * growth from its start to its end, so no stage or client has to know about reports; its guides
 * that need review are the job's own.
 */
public final class RunReports implements JobListener {

    private static final Logger LOG = LoggerFactory.getLogger(RunReports.class);

    private final Path folder;
    private final Template template;
    private final StageStats stats;
    private final List<String> stageNames;
    private final ModelFleet fleet;
    private final FailureLog failures;
    private final List<JobDetails> details;
    private final CheckStats checks;
    private final Map<String, Start> started = new ConcurrentHashMap<>();

    /** @param settledBefore what an earlier run settled of a resumed job (it counts as found done already) */
    private record Start(Instant at, RunCounters counters, AtomicBoolean overlapping, JobCounts settledBefore) {
    }

    public RunReports(Path folder, Template template, StageStats stats, List<String> stageNames, ModelFleet fleet,
                      FailureLog failures, CheckStats checks, List<JobDetails> details) {
        this.details = List.copyOf(details);
        this.checks = checks;
        this.folder = folder;
        this.template = template;
        this.stats = stats;
        this.stageNames = List.copyOf(stageNames);
        this.fleet = fleet;
        this.failures = failures;
    }

    @Override
    public synchronized void jobStarted(Job job, JobCounts settledBefore) {
        Start start = new Start(Instant.now(), RunCounters.now(stats, stageNames, checks, fleet), new AtomicBoolean(), settledBefore);
        if (!started.isEmpty()) {
            start.overlapping.set(true);
            started.values().forEach(other -> other.overlapping.set(true));
        }
        started.put(job.id(), start);
    }

    @Override
    public void jobFinished(Job job, JobCounts counts) {
        Start start = started.remove(job.id());
        if (start == null) { // not seen starting (a listener added late): count from the service's start
            start = new Start(Instant.now(), RunCounters.NONE, new AtomicBoolean(), JobCounts.NONE);
        }
        JobCounts before = start.settledBefore;
        JobCounts thisRun = new JobCounts(counts.done() - before.done(), counts.alreadyDone() + before.done(), counts.failed());
        CallUsage usage = fleet.usage(job.id());
        fleet.forgetUsage(job.id());
        RunReport report = report(job, thisRun, start.at, Instant.now(), RunCounters.now(stats, stageNames, checks, fleet)
                .since(start.counters), start.overlapping.get(), failures.takeCounts(job.id()),
                new RunReport.Calls(usage.calls(), usage.promptTokens(), usage.cachedTokens(), usage.outputTokens()),
                checks.takeReviews(job.id()));
        List<JobDetails.ReportSection> sections = new ArrayList<>();
        details.forEach(kind -> kind.report(job).ifPresent(sections::add));
        Path markdown = write(report, sections);
        LOG.info("Run report of {}: {}", job, markdown);
    }

    static RunReport report(Job job, JobCounts summary, Instant from, Instant to, RunCounters delta,
                            boolean overlapping, FailureLog.Counts failed, RunReport.Calls jobCalls) {
        return report(job, summary, from, to, delta, overlapping, failed, jobCalls, CheckStats.Reviews.NONE);
    }

    static RunReport report(Job job, JobCounts summary, Instant from, Instant to, RunCounters delta,
                            boolean overlapping, FailureLog.Counts failed, RunReport.Calls jobCalls,
                            CheckStats.Reviews reviews) {
        double seconds = Math.max(0.001, Duration.between(from, to).toMillis() / 1000.0);
        Map<String, RunReport.Stage> stages = new LinkedHashMap<>();
        long prompt = 0;
        long output = 0;
        for (var entry : delta.stages().entrySet()) {
            RunCounters.StageCounts c = entry.getValue();
            long calls = c.modelCalls() + c.repairCalls();
            stages.put(entry.getKey(), new RunReport.Stage(c.modelCalls(), c.repairCalls(), c.cacheHits(), c.fromInput(),
                    c.promptTokens(), c.cachedTokens(), c.outputTokens(), c.millis() / 1000.0, calls == 0 ? 0 : round(c.millis() / 1000.0 / calls)));
            prompt += c.promptTokens();
            output += c.outputTokens();
        }
        long calls = delta.endpoints().values().stream().mapToLong(RunCounters.EndpointCounts::completed).sum();
        Map<String, RunReport.Endpoint> endpoints = new LinkedHashMap<>();
        for (var entry : delta.endpoints().entrySet()) {
            RunCounters.EndpointCounts c = entry.getValue();
            double busy = c.busyMillis() / 1000.0;
            endpoints.put(entry.getKey(), new RunReport.Endpoint(c.slots(), c.completed(), c.failed(), c.promptTokens(),
                    c.cachedTokens(), c.outputTokens(), busy, calls == 0 ? 0 : round(c.completed() / (double) calls),
                    round(Math.min(1, busy / (c.slots() * seconds))), round(c.outputTokens() / seconds)));
        }
        Map<String, RunReport.Check> checks = new LinkedHashMap<>();
        delta.checks().forEach((name, c) -> checks.put(name, new RunReport.Check(c.active(), c.passed(), c.repaired(), c.failed())));
        RunReport.NeedReview needReview = new RunReport.NeedReview(reviews.total(), reviews.listed().stream()
                .map(r -> new RunReport.Guide(r.id(), r.title(), r.file(), r.checks())).toList());
        Map<String, Long> byClass = failed.byClass();
        return new RunReport(job.id(), job.kind(), job.name(), job.entries(), job.acceptedAt(), from.toString(), to.toString(),
                round(seconds), overlapping,
                new RunReport.Problems(summary.done() + summary.alreadyDone(), summary.done(), summary.alreadyDone(),
                        summary.failed()),
                new RunReport.Tokens(prompt, output), jobCalls, stages, checks, needReview, endpoints,
                new RunReport.Failures(summary.failed(), byClass, failed.byStage()));
    }

    /** Writes both files, with the job kind's own sections after the report; returns the Markdown one. */
    Path write(RunReport report, List<JobDetails.ReportSection> sections) {
        Path json = folder.resolve(report.job() + ".json");
        Path markdown = folder.resolve(report.job() + ".md");
        try {
            Map<String, Object> data = Json.MAPPER.convertValue(report, new com.fasterxml.jackson.core.type.TypeReference<>() {
            });
            if (!sections.isEmpty()) {
                data.put("details", sections.stream().map(JobDetails.ReportSection::data).toList());
            }
            AtomicFiles.writeString(json, Json.pretty(data) + "\n");
            StringBuilder text = new StringBuilder(template.execute(view(report)).strip()).append("\n");
            sections.forEach(section -> text.append("\n").append(section.markdown()));
            AtomicFiles.writeString(markdown, text.toString());
            return markdown;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the run report " + markdown.toAbsolutePath() + " (" + e.getMessage()
                    + "): check free disk space and permissions of pipeline.work", e);
        }
    }

    /** What the report template sees: the report's figures, formatted for reading. */
    static Map<String, Object> view(RunReport r) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("job", r.job());
        view.put("file", r.file());
        view.put("entries", count(r.entries()));
        view.put("acceptedAt", r.acceptedAt());
        view.put("started", r.started());
        view.put("finished", r.finished());
        view.put("duration", ProgressReport.format(Duration.ofMillis(Math.round(r.seconds() * 1000))));
        view.put("overlapping", r.overlapping());
        view.put("done", count(r.problems().done()));
        view.put("written", count(r.problems().written()));
        view.put("alreadyDone", count(r.problems().alreadyDone()));
        view.put("failed", count(r.problems().failed()));
        view.put("promptTokens", count(r.tokens().prompt()));
        view.put("outputTokens", count(r.tokens().output()));
        view.put("guideJob", "guides".equals(r.kind()));
        view.put("jobCalls", count(r.calls().calls()));
        view.put("jobPromptTokens", count(r.calls().promptTokens()));
        view.put("jobCachedTokens", count(r.calls().cachedTokens()));
        view.put("jobCachedShare", share(r.calls().cachedTokens(), r.calls().promptTokens()));
        view.put("jobOutputTokens", count(r.calls().outputTokens()));

        List<Map<String, Object>> stages = new ArrayList<>();
        long calls = 0;
        long repairCalls = 0;
        double modelSeconds = 0;
        for (var entry : r.stages().entrySet()) {
            RunReport.Stage s = entry.getValue();
            calls += s.modelCalls();
            repairCalls += s.repairCalls();
            modelSeconds += s.modelSeconds();
            stages.add(Map.of("name", entry.getKey(), "modelCalls", count(s.modelCalls()), "repairCalls", count(s.repairCalls()),
                    "cacheHits", count(s.cacheHits()),
                    "fromInput", count(s.fromInput()), "promptTokens", count(s.promptTokens()),
                    "cached", share(s.cachedTokens(), s.promptTokens()), "outputTokens", count(s.outputTokens()), "modelTime", seconds(s.modelSeconds()),
                    "perCall", s.modelCalls() + s.repairCalls() == 0 ? "–" : String.format(Locale.ROOT, "%.1f s", s.secondsPerCall())));
        }
        view.put("stages", stages);
        view.put("modelCalls", count(calls));
        view.put("repairCalls", count(repairCalls));
        view.put("modelTime", seconds(modelSeconds));

        List<Map<String, Object>> checks = new ArrayList<>();
        r.checks().forEach((name, c) -> checks.add(Map.of("name", name, "state", c.active() ? "" : " (skipped: not installed)",
                "passed", count(c.passed()), "repaired", count(c.repaired()), "failed", count(c.failed()))));
        view.put("checks", checks);
        view.put("anyChecks", !checks.isEmpty());
        view.put("needReviewCount", count(r.needReview().total()));
        view.put("anyNeedReview", r.needReview().total() > 0);
        view.put("needReview", r.needReview().guides().stream().map(g -> Map.of("id", g.id(), "title", g.title().replace("|", "\\|"),
                "file", g.file(), "checks", String.join(", ", g.checks()))).toList());
        long unlisted = r.needReview().total() - r.needReview().guides().size();
        view.put("needReviewUnlisted", unlisted > 0 ? count(unlisted) : "");

        List<Map<String, Object>> endpoints = new ArrayList<>();
        for (var entry : r.endpoints().entrySet()) {
            RunReport.Endpoint e = entry.getValue();
            endpoints.add(Map.of("name", entry.getKey(), "slots", e.slots(), "completed", count(e.completed()),
                    "failed", count(e.failed()), "share", percent(e.share()), "utilization", percent(e.utilization()),
                    "promptTokens", count(e.promptTokens()), "cached", share(e.cachedTokens(), e.promptTokens()),
                    "outputTokens", count(e.outputTokens()),
                    "tokensPerSecond", String.format(Locale.ROOT, "%.1f", e.outputTokensPerSecond())));
        }
        view.put("endpoints", endpoints);

        view.put("anyFailures", r.failures().total() > 0);
        view.put("failuresByClass", counts(r.failures().byClass()));
        view.put("failuresByStage", counts(r.failures().byStage()));
        return view;
    }

    private static List<Map<String, Object>> counts(Map<String, Long> byName) {
        List<Map<String, Object>> rows = new ArrayList<>();
        byName.forEach((name, n) -> rows.add(Map.of("name", name, "count", count(n))));
        return rows;
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** The cached part of the prompt tokens, as a percentage ("–" without prompt tokens). */
    private static String share(long cached, long prompt) {
        return prompt == 0 ? "–" : percent(cached / (double) prompt);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    private static String seconds(double s) {
        return s < 60 ? String.format(Locale.ROOT, "%.1f s", s) : ProgressReport.format(Duration.ofMillis(Math.round(s * 1000)));
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
