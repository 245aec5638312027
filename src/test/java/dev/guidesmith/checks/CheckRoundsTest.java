package dev.guidesmith.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.guidesmith.llm.ChatMessage;
import dev.guidesmith.llm.ModelRequest;
import dev.guidesmith.problems.Problem;
import dev.guidesmith.stages.CheckOutcome;
import dev.guidesmith.stages.Fingerprinter;
import dev.guidesmith.stages.StageCache;
import dev.guidesmith.stages.StageCatalog;
import dev.guidesmith.stages.StageRepair;
import dev.guidesmith.stages.StageRepairs;
import dev.guidesmith.stages.StageResult;
import dev.guidesmith.stages.StageResults;
import dev.guidesmith.stages.StageStats;
import dev.guidesmith.stages.WorkItem;
import dev.guidesmith.support.Json;
import dev.guidesmith.support.Settings;
import dev.guidesmith.testing.CodeTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks of one guide over the project's real settings, prompts and tools, with stage results
 * written into a real stage cache: what fails, which stage is asked again and what its repair prompt
 * quotes, and the settings' mistakes a user is told about at start.
 */
class CheckRoundsTest {

    @TempDir
    Path dir;

    private final Map<String, String> settings = new HashMap<>();
    private StageCatalog stages;
    private StageCache cache;

    @BeforeEach
    void readTheRealSettings() throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(Path.of("application.properties"))) {
            properties.load(in);
        }
        properties.forEach((k, v) -> settings.put(k.toString(), v.toString()));
        stages = StageCatalog.load(lookup(), Set.of("local"), endpoints -> Set.of("model-a"));
        cache = new StageCache(dir.resolve("cache"), 100);
    }

    private Settings lookup() {
        return new Settings(key -> Optional.ofNullable(settings.get(key)));
    }

    private WorkItem planned(Object checksBasis) {
        return new Fingerprinter(stages, checksBasis).plan("job", 1,
                new Problem("1", true, "Two Sum", "two-sum", "Easy", List.of("Array"), List.of(), null));
    }

    private void store(WorkItem item, String stage, JsonNode content) {
        cache.store(new StageResult(stage, "1", item.fingerprint(stage), content, "model", "local", "model-a", false, 1, 1, 1,
                "t"));
    }

    private void storeAll(WorkItem item, String python, int approaches) throws IOException {
        store(item, "describe", TextNode.valueOf("Given nums and target, return the indices of two numbers adding up to target."));
        store(item, "topics", Json.MAPPER.readTree("""
                {"difficulty": "Easy", "topics": ["Array"], "companies": [], "constraints": ["2 <= n"],
                 "edge_cases": ["duplicates"], "key_insight": "Remember what you have seen."}"""));
        String approach = """
                {"name": "Hash map", "idea": "One pass.", "pros": ["fast"], "cons": ["memory"],
                 "time_complexity": "O(n)", "space_complexity": "O(n)"}""";
        store(item, "approaches", Json.MAPPER.readTree("{\"approaches\": [" + String.join(",",
                java.util.Collections.nCopies(approaches, approach)) + "]}"));
        store(item, "solutions", Json.MAPPER.valueToTree(Map.of("approach", "Hash map", "python", python,
                "cpp", "```cpp\nclass Solution {\npublic:\n    vector<int> twoSum(vector<int>& nums, int target) {\n"
                        + "        unordered_map<int, int> seen;\n        return {};\n    }\n};\n```",
                "time_complexity", "O(n)", "space_complexity", "O(n)")));
    }

    private GuideChecks guideChecks(CheckCatalog catalog) {
        return new GuideChecks(catalog, new CommandRunner(2), stages, new StageResults(stages, cache),
                new CheckStats(catalog.availability()));
    }

    @Test
    void goodCodePassesEveryCheckAndTheGuideCarriesThatOn() throws IOException {
        assumeTrue(CodeTools.installed("python3") && CodeTools.installed("g++"), "python3 and g++ are needed");
        CheckCatalog catalog = CheckCatalog.load(lookup(), stages);
        WorkItem item = planned(catalog.basis());
        storeAll(item, "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        return []", 2);
        GuideChecks checks = guideChecks(catalog);
        CheckRound round = checks.begin(item);
        assertThat(round.passed()).as(round.latest().toString()).isTrue();
        assertThat(round.repairDue()).isFalse();
        CheckOutcome outcome = checks.settle(item, round).checks();
        assertThat(outcome.passed()).containsExactly("sections", "python", "cpp");
        assertThat(outcome.ok()).isTrue();
    }

    @Test
    void brokenPythonAsksTheSolutionsStageAgainQuotingTheCodeAndTheError() throws IOException {
        assumeTrue(CodeTools.installed("python3"), "python3 is needed");
        settings.put("guide.checks", "sections,python");
        CheckCatalog catalog = CheckCatalog.load(lookup(), stages);
        WorkItem item = planned(catalog.basis());
        storeAll(item, "class Solution:\n    def twoSum(self, nums, target)\n        return []", 2);
        CheckRound round = guideChecks(catalog).begin(item);
        assertThat(round.passed()).isFalse();
        StageRepair repair = round.repair();
        assertThat(repair.stage()).isEqualTo("solutions");
        assertThat(repair.attempt()).isEqualTo(1);
        assertThat(repair.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.check()).isEqualTo("python");
            assertThat(failure.field()).isEqualTo("python");
            assertThat(failure.error()).contains("solution.py", "line 2", "SyntaxError");
        });

        ModelRequest request = new StageRepairs(stages, cache, new StageResults(stages, cache), new StageStats())
                .requestFor(item, repair);
        assertThat(request.stage()).isEqualTo("solutions");
        assertThat(request.schema()).isEqualTo(stages.stage("solutions").schema());
        String prompt = request.prompt().render(dev.guidesmith.llm.PromptBudget.estimated(100_000)).stream().map(ChatMessage::content).reduce("", String::concat);
        assertThat(prompt).contains("failed the check \"python\"")
                .contains("```python\nclass Solution:\n    def twoSum(self, nums, target)\n")
                .contains("SyntaxError").contains("Two Sum").contains("\"approach\" : \"Hash map\"");
    }

    @Test
    void theExamplesCheckRunsThePythonSolutionOnTheStatementsExamples() throws IOException {
        assumeTrue(CodeTools.installed("python3"), "python3 is needed");
        settings.put("pipeline.stages", "describe,examples,topics,approaches,solutions");
        settings.put("guide.checks", "python,examples");
        settings.put("guide.check.examples.timeout-seconds", "3");
        stages = StageCatalog.load(lookup(), Set.of("local"), endpoints -> Set.of("model-a"));
        CheckCatalog catalog = CheckCatalog.load(lookup(), stages);
        WorkItem item = planned(catalog.basis());
        store(item, "examples", Json.MAPPER.readTree("{\"examples\": ["
                + "{\"input\": \"nums = [2,7,11,15], target = 9\", \"output\": \"[0,1]\"},"
                + "{\"input\": \"nums = [3,2,4], target = 6\", \"output\": \"[1,2]\"},"
                + "{\"input\": \"a sequence of operations\", \"output\": \"?\"}]}"));
        GuideChecks checks = guideChecks(catalog);

        storeAll(item, "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n"
                + "        seen = {}\n        for i, v in enumerate(nums):\n            if target - v in seen:\n"
                + "                return [seen[target - v], i]\n            seen[v] = i\n        return []", 2);
        assertThat(checks.begin(item).passed()).isTrue();

        storeAll(item, "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n"
                + "        return [0, 0]", 2);
        CheckRound wrong = checks.begin(item);
        assertThat(wrong.repair().stage()).isEqualTo("solutions");
        assertThat(wrong.repair().failures()).singleElement().satisfies(failure -> assertThat(failure.error())
                .contains("Example 1: twoSum(nums = [2,7,11,15], target = 9) returned [0, 0], expected [0,1]")
                .contains("Example 2:"));

        storeAll(item, "class Solution:\n    def twoSum(self, nums, target):\n        while True:\n            pass", 2);
        assertThat(checks.begin(item).repair().failures().get(0).error()).startsWith("did not finish within 3 s");
    }

    @Test
    void aMissingSectionIsNamedAndNotRepairedWhenItsStageHasNoRepairPrompt() throws IOException {
        settings.put("guide.checks", "sections");
        CheckCatalog catalog = CheckCatalog.load(lookup(), stages);
        WorkItem item = planned(catalog.basis());
        storeAll(item, "x = 1", 1);
        GuideChecks checks = guideChecks(catalog);
        CheckRound round = checks.begin(item);
        assertThat(round.passed()).isFalse();
        assertThat(round.repairDue()).as("approaches has no repair prompt").isFalse();
        CheckOutcome outcome = checks.settle(item, round).checks();
        assertThat(outcome.failedChecks()).containsExactly("sections");
        assertThat(outcome.failed().get(0).message())
                .contains("approaches.approaches has 1 item(s); the guide needs at least 2");
    }

    @Test
    void sectionPathsNameWhatIsMissingOrEmpty() {
        Map<String, Object> view = Map.of("approaches", Map.of("approaches", List.of(
                Map.of("name", "A", "pros", List.of("fast"), "cons", List.of()),
                Map.of("name", " ", "pros", List.of("x"), "cons", List.of("y")))));
        assertThat(GuidePath.parse("approaches.approaches[2]", "k").problemsIn(view)).isEmpty();
        assertThat(GuidePath.parse("approaches.approaches[3]", "k").problemsIn(view))
                .containsExactly("approaches.approaches has 2 item(s); the guide needs at least 3");
        assertThat(GuidePath.parse("approaches.approaches[].cons", "k").problemsIn(view))
                .containsExactly("approaches.approaches[0].cons is empty");
        assertThat(GuidePath.parse("approaches.approaches[].name", "k").problemsIn(view))
                .containsExactly("approaches.approaches[1].name is empty");
        assertThat(GuidePath.parse("solutions.python", "k").problemsIn(view)).containsExactly("solutions is missing");
        assertThatThrownBy(() -> GuidePath.parse("approaches..name", "guide.check.s.require"))
                .hasMessageContaining("guide.check.s.require");
    }

    @Test
    void theDoneKeyChangesWithTheChecksInForce() {
        CheckCatalog all = CheckCatalog.load(lookup(), stages);
        settings.put("guide.checks", "sections");
        CheckCatalog fewer = CheckCatalog.load(lookup(), stages);
        assertThat(planned(all.basis()).doneKey()).isNotEqualTo(planned(fewer.basis()).doneKey());
        settings.put("guide.checks", "");
        assertThat(CheckCatalog.load(lookup(), stages).basis()).isNull();
        assertThat(planned(null).doneKey()).isEqualTo(new Fingerprinter(stages).plan("job", 1,
                new Problem("1", true, "Two Sum", "two-sum", "Easy", List.of("Array"), List.of(), null)).doneKey());
    }

    @Test
    void mistakesInTheSettingsStopTheStartSayingWhatToDo() {
        settings.put("guide.checks", "lint");
        assertThatThrownBy(() -> CheckCatalog.load(lookup(), stages))
                .hasMessageContaining("guide.check.lint.command").hasMessageContaining("neither");
        settings.put("guide.check.lint.command", "pylint {file}");
        assertThatThrownBy(() -> CheckCatalog.load(lookup(), stages)).hasMessageContaining("guide.check.lint.language");
        settings.put("guide.check.lint.language", "rust");
        assertThatThrownBy(() -> CheckCatalog.load(lookup(), stages))
                .hasMessageContaining("no stage's reply schema has a field named rust").hasMessageContaining("guide.check.lint.code");
        settings.put("guide.check.lint.code", "approaches.approaches");
        assertThatThrownBy(() -> CheckCatalog.load(lookup(), stages))
                .hasMessageContaining("approaches, which has no repair prompt")
                .hasMessageContaining("approaches.repair.mustache").hasMessageContaining("guide.check.repairs=0");
        settings.put("guide.check.lint.code", "solutions.python");
        settings.put("guide.check.lint.command", "pylint -I {setup} {file}");
        assertThatThrownBy(() -> CheckCatalog.load(lookup(), stages)).hasMessageContaining("guide.check.lint.setup");
        settings.put("guide.check.lint.command", "pylint {file}");
        settings.put("guide.check.lint.timeout-seconds", "0");
        assertThatThrownBy(() -> CheckCatalog.load(lookup(), stages)).hasMessageContaining("timeout-seconds");
        settings.put("guide.checks", "examples");
        assertThatThrownBy(() -> CheckCatalog.load(lookup(), stages))
                .hasMessageContaining("no stage in pipeline.stages makes 'examples'");
        settings.put("guide.checks", "sections");
        settings.put("guide.check.sections.require", "solution.python");
        assertThatThrownBy(() -> CheckCatalog.load(lookup(), stages))
                .hasMessageContaining("'solution' is neither a problem field");
    }
}
