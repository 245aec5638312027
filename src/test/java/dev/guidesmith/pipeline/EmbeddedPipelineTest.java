package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.llm.Endpoint;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.stages.StageStats;
import dev.guidesmith.support.Json;
import dev.guidesmith.testing.GuideAssertions;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.ShortSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service (camel-main, application.properties, YAML routes) on the embedded engine with
 * the tiny real model {@code ../shared/models/stories260K.gguf}: one problem dropped into the inbox
 * becomes a guide, every stage's reply written by llama.cpp in this JVM.
 *
 * <p>The context decides what is possible. The model was trained with 512 tokens (its header says
 * 2048), and its vocabulary of 512 pieces spends about 1.4 characters a token: the shared system
 * prompt alone is over 1,000 tokens, and the topics prompt for a problem with a one-sentence statement
 * does not fit 512 per slot however it is shortened; the service says so in a failure record (second
 * test). The first test gives each slot 8192 tokens, past what the model knows; llama.cpp runs it
 * (with a warning in the log), the text is babble either way, and the grammar keeps every reply to
 * its schema.
 */
class EmbeddedPipelineTest {

    static final Path MODEL = Path.of("../shared/models/stories260K.gguf");
    static final String SKIP = "the tiny test model " + MODEL + " is not here (see shared/models/README.md in the"
            + " steering repository): the end-to-end test of the embedded engine is skipped";

    @TempDir
    Path dir;

    private static Map<String, String> tiny(int slots, int context) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("llm.endpoints", "tiny");
        settings.put("llm.endpoint.tiny.api", "embedded");
        settings.put("llm.endpoint.tiny.model", MODEL.toString());
        settings.put("llm.endpoint.tiny.slots", Integer.toString(slots));
        settings.put("llm.endpoint.tiny.context", Integer.toString(context));
        settings.put("llm.retry.delay-ms", "100");
        settings.put("llm.retry.max-delay-ms", "1000");
        return settings;
    }

    @Test
    void theTinyModelWritesACompleteGuide() throws Exception {
        assumeTrue(Files.exists(MODEL), SKIP);
        Map<String, String> settings = tiny(2, 8192);
        // room for replies as long as this model makes them
        settings.put("stage.describe.max-tokens", "900");
        settings.put("stage.topics.max-tokens", "600");
        settings.put("stage.approaches.max-tokens", "800");
        settings.put("stage.solutions.max-tokens", "600");
        // replies that fit their room whatever the babble
        ShortSchemas.use(dir.resolve("schemas"), List.of("topics", "approaches", "solutions"), settings);
        // free text has no grammar to end it: describe gets the problem alone (the instructions for a
        // statement set this model telling a story without end), from a seed whose story ends in time
        settings.put("stage.describe.system", "");
        settings.put("llm.endpoint.tiny.seed", System.getProperty("tiny.seed", "1"));
        try (InJvmService service = InJvmService.start(dir, settings)) {
            // no description: the describe stage writes one (free text), then the three data stages
            service.drop("{\"problems\": [{\"id\": 1, \"title\": \"Two Sum\", \"slug\": \"two-sum\", \"difficulty\": \"Easy\","
                    + " \"topics\": [\"Array\", \"Hash Table\"]}]}", "one.json");
            await("the guide or a failure record", Duration.ofMinutes(10),
                    () -> (service.guideCount() == 1 || service.failureCount() > 0) && service.jobsSettled());
            Path failed = service.work().resolve("failed/1.json");
            assertThat(service.failureCount()).as(Files.exists(failed) ? Files.readString(failed) : "no failure").isZero();
            Path guide = service.output().resolve("question_1.md");
            System.out.println(Files.readString(guide));
            GuideAssertions.assertComplete(guide);
            assertThat(Files.readString(guide)).doesNotContain("Simulated content");

            Endpoint tiny = service.bean("fleet", ModelFleet.class).endpoint("tiny");
            System.out.printf("tiny: %d calls, %d failed, %d prompt tokens, %d output tokens, %.0f tokens/s while generating%n",
                    tiny.completed(), tiny.failed(), tiny.promptTokens(), tiny.outputTokens(), tiny.tokensPerSecond());
            // a 260K-parameter story model writes no code that parses: its solutions are asked again, then
            // the guide is written for review (with a model that can code, the checks pass at once)
            long repairs = service.bean("stageStats", StageStats.class).of("solutions").repairCalls();
            assertThat(repairs).isBetween(0L, 2L);
            assertThat(tiny.completed()).as("describe, topics, approaches, solutions, and the repairs").isEqualTo(4 + repairs);
            assertThat(tiny.peakInFlight()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void atTheTrainedContextTheTopicsPromptCannotFitAndTheServiceSaysSo() throws Exception {
        assumeTrue(Files.exists(MODEL), SKIP);
        Map<String, String> settings = tiny(1, 512);
        settings.put("stage.topics.max-tokens", "200");
        try (InJvmService service = InJvmService.start(dir, settings)) {
            // with a description the describe stage is skipped: topics is the first call
            service.drop("{\"problems\": [{\"id\": 1, \"title\": \"Two Sum\", \"slug\": \"two-sum\", \"difficulty\": \"Easy\","
                    + " \"description\": \"Given an array of integers nums and an integer target, return indices of the two"
                    + " numbers such that they add up to target.\"}]}", "one.json");
            await("a failure record", Duration.ofMinutes(5), () -> service.failureCount() == 1 && service.jobsSettled());
            JsonNode failure = Json.MAPPER.readTree(Files.readString(service.work().resolve("failed/1.json"))).path("failure");
            System.out.println(failure.toPrettyString());
            assertThat(failure.path("stage").asText()).isEqualTo("topics");
            assertThat(failure.path("errorClass").asText()).isEqualTo("CONTEXT_OVERFLOW");
            assertThat(service.guideCount()).isZero();
        }
    }
}
