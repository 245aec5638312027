package dev.guidesmith.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.stages.StageStats;
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
 * Editing one stage's prompt template makes that stage and the later ones run again at the next
 * start; the earlier stages come from the cache.
 */
class TemplateChangeTest {

    static final Path SAMPLE = PipelineEndToEndTest.SAMPLE;
    static final int PROBLEMS = PipelineEndToEndTest.PROBLEMS;

    @TempDir
    Path dir;

    @Test
    void onlyTheChangedStageAndTheLaterOnesCallTheModel() throws Exception {
        Path prompts = dir.resolve("prompts");
        Files.createDirectories(prompts);
        try (Stream<Path> files = Files.list(Path.of("routes/prompts"))) {
            for (Path file : files.toList()) {
                Files.copy(file, prompts.resolve(file.getFileName()));
            }
        }
        try (SimOllama box = SimOllama.start("box")) {
            Map<String, String> settings = new HashMap<>(box.fleet());
            settings.put("pipeline.prompts", prompts.toString());
            try (InJvmService service = InJvmService.start(dir, settings)) {
                service.drop(SAMPLE, "first.json");
                service.awaitSettled("first.json", Duration.ofMinutes(2));
            }
            long callsBefore = box.calls();
            Path approaches = prompts.resolve("approaches.mustache");
            Files.writeString(approaches, Files.readString(approaches) + "\nPrefer approaches an interviewer expects.\n");

            try (InJvmService service = InJvmService.start(dir, settings)) {
                service.drop(SAMPLE, "second.json");
                service.awaitSettled("second.json", Duration.ofMinutes(2));
                StageStats stats = service.bean("stageStats", StageStats.class);
                assertThat(stats.of("describe").modelCalls()).isZero();
                assertThat(stats.of("describe").cacheHits()).isEqualTo(PROBLEMS - PipelineEndToEndTest.WITH_DESCRIPTION);
                assertThat(stats.of("topics").modelCalls()).isZero();
                assertThat(stats.of("topics").cacheHits()).isEqualTo(PROBLEMS);
                assertThat(stats.of("approaches").modelCalls()).isEqualTo(PROBLEMS);
                assertThat(stats.of("solutions").modelCalls()).isEqualTo(PROBLEMS);
                assertThat(box.calls() - callsBefore).as("calls at the server").isEqualTo(2L * PROBLEMS);
                assertThat(service.guideCount()).isEqualTo(PROBLEMS);
            }
        }
    }
}
