package dev.guidesmith.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guidesmith.sim.Outcome;
import dev.guidesmith.stages.StageStats;
import dev.guidesmith.testkit.Workloads;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testing.SimOllama;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage is data: a fifth stage takes a properties line and a prompt file, nothing else, and every
 * problem passes through it; a stage listed without its prompt stops the start with the file to write.
 */
class StagesAsDataTest {

    static final int PROBLEMS = 4;
    static final String FIVE_STAGES = "describe,topics,approaches,solutions,review";

    @TempDir
    Path dir;

    private Path promptsCopy() throws Exception {
        Path prompts = dir.resolve("prompts");
        Files.createDirectories(prompts);
        try (Stream<Path> files = Files.list(Path.of("routes/prompts"))) {
            for (Path file : files.toList()) {
                Files.copy(file, prompts.resolve(file.getFileName()));
            }
        }
        return prompts;
    }

    @Test
    void aFifthStageFromAPropertiesLineAndAPromptFileRunsForEveryProblem() throws Exception {
        Path prompts = promptsCopy();
        Files.writeString(prompts.resolve("review.mustache"), """
                Review the solutions of "{{title}}" for an interview coach: what would you ask the candidate next?

                {{#solutions}}Python:
                {{python}}{{/solutions}}
                """);
        try (SimOllama box = SimOllama.start("box")) {
            Map<String, String> settings = new HashMap<>(box.fleet());
            settings.put("pipeline.prompts", prompts.toString());
            settings.put("pipeline.stages", FIVE_STAGES);
            settings.put("stage.review.inputs", "title,solutions");
            try (InJvmService service = InJvmService.start(dir, settings)) {
                service.drop(Workloads.problems(dir.resolve("p.jsonl"), 1, PROBLEMS), "p.jsonl");
                service.awaitSettled("p.jsonl", Duration.ofMinutes(1));
                assertThat(service.failureCount()).isZero();
                assertThat(service.guideCount()).isEqualTo(PROBLEMS);
                StageStats stats = service.bean("stageStats", StageStats.class);
                assertThat(stats.of("review").modelCalls()).as("one review call per problem").isEqualTo(PROBLEMS);
                assertThat(service.context().getRoute("stage-review")).isNotNull();
            }
            assertThat(box.server().counters().count(Outcome.STOP)).as("five calls per problem").isEqualTo(5L * PROBLEMS);
        }
    }

    @Test
    void aStageWithoutItsPromptStopsTheStartNamingTheFileToWrite() throws Exception {
        Path prompts = promptsCopy();
        try (SimOllama box = SimOllama.start("box")) {
            Map<String, String> settings = new HashMap<>(box.fleet());
            settings.put("pipeline.prompts", prompts.toString());
            settings.put("pipeline.stages", FIVE_STAGES);
            assertThatThrownBy(() -> InJvmService.start(dir, settings).close())
                    .satisfies(e -> assertThat(messages(e)).contains("Stage review is in pipeline.stages but has no prompt")
                            .contains(prompts.resolve("review.mustache").toAbsolutePath().toString()));
        }
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
