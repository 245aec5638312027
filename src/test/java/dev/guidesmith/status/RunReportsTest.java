package dev.guidesmith.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.checks.CheckStats;
import dev.guidesmith.jobs.ItemFailure;
import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobCounts;
import dev.guidesmith.stages.StageStats;
import dev.guidesmith.support.Json;
import dev.guidesmith.support.Templates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finished job's report: the figures (share, utilization, per-stage time, checks), the guides that
 * need review, and both files.
 */
class RunReportsTest {

    @TempDir
    Path work;

    private static final Job JOB = new Job("20260101-120000-abcde", "guides", "leetcode.json", null, 10, "2026-01-01T12:00:00Z");

    /**
     * 100 s; gpu (4 slots) busy 300 slot-seconds for 30 calls, laptop (1 slot) 50 s for 10 calls;
     * solutions asked again twice because checks failed.
     */
    private static RunCounters delta() {
        Map<String, RunCounters.StageCounts> stages = new LinkedHashMap<>();
        stages.put("describe", new RunCounters.StageCounts(8, 0, 0, 2, 800, 0, 4000, 80_000));
        stages.put("topics", new RunCounters.StageCounts(10, 0, 0, 0, 3000, 1500, 2000, 50_000));
        stages.put("approaches", new RunCounters.StageCounts(10, 0, 0, 0, 3000, 2000, 3000, 100_000));
        stages.put("solutions", new RunCounters.StageCounts(12, 2, 3, 0, 4000, 3000, 5000, 120_000));
        Map<String, RunCounters.CheckCounts> checks = new LinkedHashMap<>();
        checks.put("python", new RunCounters.CheckCounts(true, 9, 1, 0));
        checks.put("cpp", new RunCounters.CheckCounts(true, 7, 2, 1));
        checks.put("lint", new RunCounters.CheckCounts(false, 0, 0, 0));
        Map<String, RunCounters.EndpointCounts> endpoints = new LinkedHashMap<>();
        endpoints.put("gpu", new RunCounters.EndpointCounts(4, 30, 2, 8000, 6000, 10_000, 300_000));
        endpoints.put("laptop", new RunCounters.EndpointCounts(1, 10, 0, 2800, 500, 4000, 50_000));
        return new RunCounters(100_000_000_000L, stages, checks, endpoints);
    }

    private static FailureLog.Counts failures() {
        FailureLog log = new FailureLog(5);
        log.recorded(new ItemFailure(JOB.id(), 0, "7", "7", "solutions", "TRUNCATED", "cut off", 1, java.util.List.of(), "t"));
        log.recorded(new ItemFailure(JOB.id(), 0, "8", "8", "input", "InvalidProblemException", "no title", 1, java.util.List.of(), "t"));
        log.recorded(new ItemFailure(JOB.id(), 0, "9", "9", "solutions", "TRUNCATED", "cut off", 1, java.util.List.of(), "t"));
        log.recorded(new ItemFailure("another-job", 0, "1", "1", "describe", "TIMEOUT", "slow", 1, java.util.List.of(), "t"));
        return log.takeCounts(JOB.id());
    }

    private static RunReport report() {
        Instant start = Instant.parse("2026-01-01T12:00:10Z");
        return RunReports.report(JOB, new JobCounts(6, 1, 3), start, start.plusSeconds(100), delta(), false, failures(),
                new RunReport.Calls(24, 12_000, 9_000, 3_000), new CheckStats.Reviews(java.util.List.of(
                        new CheckStats.Review("42", "Trapping | Rain Water", "question_42.md", java.util.List.of("cpp"))), 1));
    }

    @Test
    void sharesUtilizationAndTimesComeFromTheJobsCounters() {
        RunReport report = report();
        assertThat(report.seconds()).isEqualTo(100.0);
        assertThat(report.problems()).isEqualTo(new RunReport.Problems(7, 6, 1, 3));
        assertThat(report.tokens()).isEqualTo(new RunReport.Tokens(10_800, 14_000));
        assertThat(report.stages().keySet()).containsExactly("describe", "topics", "approaches", "solutions");
        assertThat(report.stages().get("solutions").modelSeconds()).isEqualTo(120.0);
        assertThat(report.stages().get("solutions").secondsPerCall()).as("over 12 calls and 2 repairs").isEqualTo(8.571);
        assertThat(report.checks().get("cpp")).isEqualTo(new RunReport.Check(true, 7, 2, 1));
        assertThat(report.stages().get("describe").fromInput()).isEqualTo(2);

        RunReport.Endpoint gpu = report.endpoints().get("gpu");
        assertThat(gpu.share()).isEqualTo(0.75);
        assertThat(gpu.utilization()).isEqualTo(0.75); // 300 of 4 × 100 slot-seconds
        assertThat(gpu.outputTokensPerSecond()).isEqualTo(100.0);
        RunReport.Endpoint laptop = report.endpoints().get("laptop");
        assertThat(laptop.share()).isEqualTo(0.25);
        assertThat(laptop.utilization()).isEqualTo(0.5);

        assertThat(report.failures().total()).isEqualTo(3);
        assertThat(report.failures().byClass()).containsExactly(Map.entry("InvalidProblemException", 1L), Map.entry("TRUNCATED", 2L));
        assertThat(report.failures().byStage()).containsExactly(Map.entry("input", 1L), Map.entry("solutions", 2L));
    }

    @Test
    void writesTheReportAsJsonAndMarkdown() throws Exception {
        RunReports reports = new RunReports(work.resolve("reports"),
                Templates.compile(Templates.read(Path.of("routes/templates/report.md.mustache"), "report template")),
                new StageStats(), java.util.List.of(), null, new FailureLog(5), new CheckStats(java.util.List.of()),
                java.util.List.of());
        Path markdown = reports.write(report(), java.util.List.of());

        assertThat(markdown).isEqualTo(work.resolve("reports/20260101-120000-abcde.md"));
        JsonNode json = Json.MAPPER.readTree(work.resolve("reports/20260101-120000-abcde.json").toFile());
        assertThat(json.get("file").asText()).isEqualTo("leetcode.json");
        assertThat(json.at("/problems/failed").asLong()).isEqualTo(3);
        assertThat(json.at("/endpoints/gpu/utilization").asDouble()).isEqualTo(0.75);
        assertThat(json.at("/stages/topics/outputTokens").asLong()).isEqualTo(2000);
        assertThat(json.at("/stages/topics/cachedTokens").asLong()).isEqualTo(1500);
        assertThat(json.at("/endpoints/gpu/cachedTokens").asLong()).isEqualTo(6000);
        assertThat(json.at("/failures/byClass/TRUNCATED").asLong()).isEqualTo(2);
        assertThat(json.at("/stages/solutions/repairCalls").asLong()).isEqualTo(2);
        assertThat(json.at("/checks/cpp/repaired").asLong()).isEqualTo(2);
        assertThat(json.at("/needReview/total").asLong()).isEqualTo(1);
        assertThat(json.at("/needReview/guides/0/file").asText()).isEqualTo("question_42.md");

        String text = Files.readString(markdown);
        assertThat(text).startsWith("# Run report: leetcode.json\n")
                .contains("**1m40s**")
                .contains("| **done** | **7** |")
                .contains("| **failed** | **3** |")
                .contains("This job's own model calls: 24 answered; 12,000 prompt tokens, of which 9,000 (75%) the servers took"
                        + " from their prompt caches; 3,000 output tokens.")
                .contains("| solutions | 12 | 2 | 3 | 0 | 4,000 | 75% | 5,000 | 2m00s | 8.6 s |")
                .contains("| **all** | **40** | **2** | | | **10,800** | | **14,000** | **5m50s** | |")
                .contains("| python | 9 | 1 | 0 |")
                .contains("| cpp | 7 | 2 | 1 |")
                .contains("| lint (skipped: not installed) | 0 | 0 | 0 |")
                .contains("## Needs review\n\n**1** guide(s) of this job")
                .contains("| 42. Trapping \\| Rain Water | question_42.md | cpp |")
                .contains("| gpu | 4 | 30 | 2 | 75% | 75% | 8,000 | 75% | 10,000 | 100.0 |")
                .contains("| laptop | 1 | 10 | 0 | 25% | 50% | 2,800 | 18% | 4,000 | 40.0 |")
                .contains("| TRUNCATED | 2 |")
                .contains("| solutions | 2 |")
                .doesNotContain("Another job ran at the same time")
                .doesNotContain("{{");
    }

    @Test
    void aJobWithoutFailuresSaysNoneAndAnOverlappingOneSaysSo() throws Exception {
        Instant start = Instant.parse("2026-01-01T12:00:10Z");
        RunReport clean = RunReports.report(JOB, new JobCounts(10, 0, 0), start, start.plusSeconds(5), delta(), true,
                new FailureLog(5).takeCounts(JOB.id()), new RunReport.Calls(0, 0, 0, 0));
        String text = Templates.compile(Templates.read(Path.of("routes/templates/report.md.mustache"), "t"))
                .execute(RunReports.view(clean));
        assertThat(text).contains("## Failures\n\nNone.").doesNotContain("| error class |")
                .contains("Another job ran at the same time");
    }
}
