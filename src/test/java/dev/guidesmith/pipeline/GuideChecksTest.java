package dev.guidesmith.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.guide.FrontMatterReader;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.testing.CodeTools;
import dev.guidesmith.testing.LogCapture;
import dev.guidesmith.testing.SimOllama;
import dev.guidesmith.testing.StatusClient;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.Workloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every guide is checked before it is written (guide.checks): its sections are there, its Python
 * parses, its C++ compiles. Broken code is repaired by asking its stage again, through the fleet; a
 * guide still failing is written anyway, marked and listed for review, and not recorded as done, so
 * dropping its problem again runs only its checks and repairs. A check whose tool is missing is
 * skipped with a line at start-up.
 */
class GuideChecksTest {

    static final int STAGES = 4;

    @TempDir
    Path dir;

    private static SimSettings quick() {
        return SimSettings.defaults().withSlots(4).withReplyTokens(120).withTokenLatency(Duration.ZERO);
    }

    @Test
    void withThirtyPercentBrokenCodeFiftyProblemsGiveFiftyGuidesWhoseCodeParsesAndCompiles() throws Exception {
        assumeTrue(CodeTools.installed("python3") && CodeTools.installed("g++"), "python3 and g++ are needed");
        int problems = 50;
        try (SimOllama box = SimOllama.start("box", quick().withBrokenCodeRate(0.3));
             InJvmService service = InJvmService.start(dir, box.fleet())) {
            service.drop(Workloads.problems(dir.resolve("p.jsonl"), 1, problems), "p.jsonl");
            service.awaitSettled("p.jsonl", Duration.ofMinutes(5));

            assertThat(service.failureCount()).isZero();
            assertThat(service.guideCount()).isEqualTo(problems);
            List<String> python = new ArrayList<>();
            List<String> cpp = new ArrayList<>();
            for (Path guide : service.guides()) {
                String text = Files.readString(guide);
                python.add(code(text, "python"));
                cpp.add(code(text, "cpp"));
                assertThat(FrontMatterReader.read(guide).get("checks")).as(guide.toString()).isEqualTo("passed");
                assertThat(text).doesNotContain("Needs review");
            }
            assertThat(CodeTools.pythonErrors(python)).as("every guide's Python parses").isEmpty();
            assertThat(CodeTools.cppErrors(cpp)).as("every guide's C++ compiles").isEmpty();

            long broken = box.server().counters().brokenCodeReplies();
            assertThat(broken).as("about 30% of 50 solutions replies were broken").isBetween(5L, 30L);
            StatusClient client = new StatusClient(service.httpPort());
            JsonNode status = client.status();
            assertThat(status.at("/stages/solutions/repairCalls").asLong()).as("one repair call per broken reply")
                    .isEqualTo(broken);
            assertThat(box.server().counters().errorQuotingReplies()).as("each repair quoted the tool's error").isEqualTo(broken);
            assertThat(box.calls()).as("the stages' calls and the repairs, nothing else").isEqualTo(problems * STAGES + broken);
            long pythonRepaired = status.at("/checks/python/repaired").asLong();
            long cppRepaired = status.at("/checks/cpp/repaired").asLong();
            assertThat(pythonRepaired).isPositive();
            assertThat(cppRepaired).isPositive();
            assertThat(Math.max(pythonRepaired, cppRepaired)).isLessThanOrEqualTo(broken);
            assertThat(pythonRepaired + cppRepaired).isGreaterThanOrEqualTo(broken);
            for (String check : List.of("sections", "python", "cpp")) {
                assertThat(status.at("/checks/" + check + "/state").asText()).isEqualTo("active");
                assertThat(status.at("/checks/" + check + "/failed").asLong()).isZero();
                assertThat(status.at("/checks/" + check + "/passed").asLong() + status.at("/checks/" + check + "/repaired").asLong())
                        .as(check + ": every guide passed it").isEqualTo(problems);
            }
            assertThat(status.at("/needReview").asLong()).isZero();

            StatusClient.Metrics metrics = client.metrics();
            assertThat(metrics.value("guidesmith_check_repaired_total", "check=\"cpp\"")).isEqualTo(cppRepaired);
            assertThat(metrics.value("guidesmith_check_passed_total", "check=\"python\""))
                    .isEqualTo(problems - pythonRepaired);
            assertThat(metrics.value("guidesmith_stage_repair_calls_total", "stage=\"solutions\"")).isEqualTo(broken);
            assertThat(metrics.value("guidesmith_check_active", "check=\"cpp\"")).isEqualTo(1);

            String report = onlyReport(service.work());
            assertThat(report).contains("## Checks").contains("| cpp | " + (problems - cppRepaired) + " | " + cppRepaired + " | 0 |")
                    .contains("None: every guide of this job passed its checks.");
            assertThat(Files.readAllLines(service.work().resolve("done.log"))).hasSize(problems);
        }
    }

    @Test
    void aRepairIsAModelCallOfItsOwnThroughTheFleetWithItsOwnRetries() throws Exception {
        assumeTrue(CodeTools.installed("python3") && CodeTools.installed("g++"), "python3 and g++ are needed");
        int problems = 3;
        // every request content fails once, and every solutions reply is broken: the repair fails once too
        SimSettings settings = quick().withBrokenCodeRate(1.0)
                .withFaults(dev.guidesmith.sim.SimFaults.none().withFailFirstTry(true));
        try (SimOllama box = SimOllama.start("box", settings)) {
            Map<String, String> service = new HashMap<>(box.fleet());
            service.put("llm.retry.max-redeliveries", "1");
            service.put("llm.retry.delay-ms", "10");
            service.put("llm.breaker.failures", "1000");
            try (InJvmService running = InJvmService.start(dir, service)) {
                running.drop(Workloads.problems(dir.resolve("p.jsonl"), 1, problems), "p.jsonl");
                running.awaitSettled("p.jsonl", Duration.ofMinutes(2));
                assertThat(running.failureCount()).as("the repair did not inherit the stage call's retry").isZero();
                assertThat(running.guideCount()).isEqualTo(problems);
                JsonNode status = running.status();
                assertThat(status.at("/stages/solutions/repairCalls").asLong()).isEqualTo(problems);
                assertThat(status.at("/endpoints/box/failed").asLong()).as("first tries, repairs included")
                        .isEqualTo(problems * (STAGES + 1));
                assertThat(status.at("/endpoints/box/completed").asLong()).isEqualTo(problems * (STAGES + 1));
            }
            assertThat(box.server().counters().brokenCodeReplies()).isEqualTo(problems);
            assertThat(box.server().counters().count(dev.guidesmith.sim.Outcome.ERROR)).isEqualTo(problems * (STAGES + 1));
        }
    }

    @Test
    void aCheckThatAlwaysFailsGivesGuidesMarkedForReviewAndDroppingThemAgainRunsOnlyChecksAndRepairs() throws Exception {
        int problems = 5;
        Map<String, String> strict = new HashMap<>();
        strict.put("guide.checks", "sections,strict");
        strict.put("guide.check.strict.language", "python");
        strict.put("guide.check.strict.command", "sh -c \"echo 'solution.py:1: error: not good enough'; exit 3\"");
        strict.put("pipeline.index.interval", "1s");
        try (SimOllama box = SimOllama.start("box", quick())) {
            strict.putAll(box.fleet());
            try (InJvmService service = InJvmService.start(dir, strict)) {
                service.drop(Workloads.problems(dir.resolve("p.jsonl"), 1, problems), "p.jsonl");
                service.awaitSettled("p.jsonl", Duration.ofMinutes(2));

                assertThat(service.failureCount()).as("no problem lost").isZero();
                assertThat(service.guideCount()).isEqualTo(problems);
                assertThat(box.calls()).as("each guide's solutions asked again twice").isEqualTo(problems * (STAGES + 2));
                for (Path guide : service.guides()) {
                    Map<String, Object> front = FrontMatterReader.read(guide);
                    assertThat(front.get("checks")).as(guide.toString()).isEqualTo("failed");
                    assertThat(front.get("failed_checks")).isEqualTo(List.of("strict"));
                    String text = Files.readString(guide);
                    assertThat(text.substring(text.indexOf("\n# "), text.indexOf("## Problem")))
                            .as("a warning at the top").contains("**Needs review.**")
                            .contains("asking the model again 2 time(s)").contains("strict: solution.py:1: error: not good enough");
                }
                String index = awaitIndex(service, text -> text.contains("## Needs review"));
                assertThat(index).contains("## Needs review (5)").contains("- [1. Generated problem 1](question_1.md) · fails strict");
                String report = onlyReport(service.work());
                assertThat(report).contains("**5** guide(s) of this job were written although they still fail a check")
                        .contains("| 3. Generated problem 3 | question_3.md | strict |")
                        .contains("| strict | 0 | 0 | 5 |");
                JsonNode status = service.status();
                assertThat(status.at("/needReview").asLong()).isEqualTo(problems);
                assertThat(status.at("/checks/strict/failed").asLong()).isEqualTo(problems);
                assertThat(status.at("/checks/sections/passed").asLong()).isEqualTo(problems);
                assertThat(status.at("/written").asLong()).isEqualTo(problems);
                assertThat(doneKeys(service)).as("a guide needing review is not done").isEmpty();

                long calls = box.calls();
                service.drop(Workloads.problems(dir.resolve("again.jsonl"), 1, problems), "again.jsonl");
                service.awaitSettled("again.jsonl", Duration.ofMinutes(2));
                assertThat(box.calls() - calls).as("dropped again: only the repairs call the model").isEqualTo(problems * 2L);
                assertThat(status(service, "/stages/describe/cacheHits")).isEqualTo(problems);
                assertThat(status(service, "/stages/solutions/cacheHits")).isEqualTo(problems);
                assertThat(doneKeys(service)).isEmpty();
            }
            // the check taken out: a later run finds the guides good, with no model call, and they are done
            strict.put("guide.checks", "sections");
            long calls = box.calls();
            try (InJvmService service = InJvmService.start(dir, strict)) {
                service.drop(Workloads.problems(dir.resolve("later.jsonl"), 1, problems), "later.jsonl");
                service.awaitSettled("later.jsonl", Duration.ofMinutes(2));
                assertThat(box.calls()).isEqualTo(calls);
                for (Path guide : service.guides()) {
                    assertThat(FrontMatterReader.read(guide).get("checks")).isEqualTo("passed");
                    assertThat(Files.readString(guide)).doesNotContain("Needs review");
                }
                assertThat(doneKeys(service)).hasSize(problems);
                assertThat(awaitIndex(service, text -> !text.contains("Needs review"))).contains("question_5.md");
            }
        }
    }

    @Test
    void aCheckWhoseToolIsMissingIsSkippedWithOneLineAtStartAndFailsNoGuide() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("guide.checks", "sections,lint");
        settings.put("guide.check.lint.language", "python");
        settings.put("guide.check.lint.command", "no-such-linter-here --strict {file}");
        try (SimOllama box = SimOllama.start("box", quick()); LogCapture log = new LogCapture()) {
            settings.putAll(box.fleet());
            try (InJvmService service = InJvmService.start(dir, settings)) {
                assertThat(log.text()).contains("Check lint is skipped: no-such-linter-here is not installed here"
                        + " (no-such-linter-here not found on the PATH)");
                service.drop(Workloads.problems(dir.resolve("p.jsonl"), 1, 2), "p.jsonl");
                service.awaitSettled("p.jsonl", Duration.ofMinutes(1));
                assertThat(service.guideCount()).isEqualTo(2);
                for (Path guide : service.guides()) {
                    assertThat(FrontMatterReader.read(guide).get("checks")).isEqualTo("passed");
                }
                JsonNode status = service.status();
                assertThat(status.at("/checks/lint/state").asText()).isEqualTo("skipped");
                assertThat(status.at("/checks/lint/note").asText()).contains("not installed");
                assertThat(status.at("/checks/sections/passed").asLong()).isEqualTo(2);
                assertThat(new StatusClient(service.httpPort()).metrics().value("guidesmith_check_active", "check=\"lint\""))
                        .isZero();
                assertThat(doneKeys(service)).hasSize(2);
            }
            assertThat(log.text().split("Check lint is skipped", -1)).as("said once").hasSize(2);
        }
    }

    @Test
    void theExamplesStageAndCheckCanBeTurnedOnBySettingsAlone() throws Exception {
        assumeTrue(CodeTools.installed("python3"), "python3 is needed");
        Map<String, String> settings = new HashMap<>();
        settings.put("pipeline.stages", "describe,examples,topics,approaches,solutions");
        settings.put("guide.checks", "sections,python,examples");
        try (SimOllama box = SimOllama.start("box", quick())) {
            settings.putAll(box.fleet());
            try (InJvmService service = InJvmService.start(dir, settings)) {
                service.drop(Workloads.problems(dir.resolve("p.jsonl"), 1, 2), "p.jsonl");
                service.awaitSettled("p.jsonl", Duration.ofMinutes(1));
                assertThat(service.guideCount()).isEqualTo(2);
                assertThat(box.calls()).as("five stages").isEqualTo(2 * (STAGES + 1));
                JsonNode status = service.status();
                // the simulator's examples are not Python values: the check runs none, and says nothing is wrong
                assertThat(status.at("/checks/examples/passed").asLong()).isEqualTo(2);
                assertThat(status.at("/stages/examples/modelCalls").asLong()).isEqualTo(2);
            }
        }
    }

    /** The code of a guide's fenced block in {@code language}. */
    private static String code(String guide, String language) {
        String fence = "```" + language + "\n";
        int start = guide.indexOf(fence) + fence.length();
        return guide.substring(start, guide.indexOf("\n```", start));
    }

    private static String onlyReport(Path work) throws IOException {
        try (Stream<Path> reports = Files.list(work.resolve("reports"))) {
            List<Path> markdown = reports.filter(f -> f.toString().endsWith(".md")).toList();
            assertThat(markdown).hasSize(1);
            return Files.readString(markdown.get(0));
        }
    }

    private static List<String> doneKeys(InJvmService service) throws IOException {
        Path log = service.work().resolve("done.log");
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(line -> !line.isBlank()).toList() : List.of();
    }

    private static long status(InJvmService service, String pointer) throws Exception {
        return service.status().at(pointer).asLong();
    }

    /** The index once it satisfies {@code condition}. */
    private static String awaitIndex(InJvmService service, java.util.function.Predicate<String> condition) throws Exception {
        Path index = service.output().resolve("index.md");
        InJvmService.await("the index to be rewritten", Duration.ofSeconds(30),
                () -> Files.exists(index) && condition.test(Files.readString(index)));
        return Files.readString(index);
    }
}
