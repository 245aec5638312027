package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.support.Json;
import dev.guidesmith.testing.SimOllama;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Longest first through the whole service (camel-main, the project's settings, YAML routes) and a
 * simulated Ollama server on loopback: the problems of a shuffled file enter the pipeline the
 * longest statement (and hardest) first, and every guide is written once.
 */
class LongestFirstPipelineTest {

    static final int PROBLEMS = 12;
    static final int DATA_STAGES = 3; // statements are given: no describe call

    @TempDir
    Path dir;

    private SimOllama box;

    @BeforeEach
    void startServer() {
        box = SimOllama.start("box", SimSettings.defaults().withSlots(2).withReplyTokens(60).withContextTokens(16384)
                .withTokenLatency(Duration.ofMillis(1)));
    }

    @AfterEach
    void stopServer() {
        box.close();
    }

    @Test
    void theLongestProblemsEnterFirstAndEveryGuideIsWrittenOnce() throws Exception {
        Path file = Workloads.problemsVaryingInSize(dir.resolve("input/problems.jsonl"), PROBLEMS, 500, 12, 7);
        Map<String, String> settings = box.fleet();
        // one problem in the pipeline at a time: the order they settle in is the order they entered
        settings.put("pipeline.max-in-flight", "1");
        settings.put("guide.checks", "sections");
        try (InJvmService service = InJvmService.start(dir.resolve("service"), settings)) {
            service.drop(file, "problems.jsonl");
            await(PROBLEMS + " guides", Duration.ofMinutes(2),
                    () -> service.guideCount() == PROBLEMS && service.jobsSettled());
            assertThat(service.failureCount()).isZero();
            assertThat(box.server().counters().completed()).as("one call per data stage and problem, none repeated")
                    .isEqualTo(PROBLEMS * DATA_STAGES);
            assertThat(Files.readAllLines(service.work().resolve("done.log"))).as("each guide recorded done once")
                    .hasSize(PROBLEMS).doesNotHaveDuplicates();

            List<Integer> statementLengths = statementLengthsBySettling(file, service.work());
            assertThat(statementLengths).hasSize(PROBLEMS).isSortedAccordingTo(Comparator.reverseOrder());
        }
    }

    /** The statements' lengths in the order the job's ledger settled their problems. */
    private static List<Integer> statementLengthsBySettling(Path problems, Path work) throws Exception {
        List<String> lines = Files.readAllLines(problems);
        Path ledger;
        try (Stream<Path> files = Files.walk(work.resolve("jobs"))) {
            ledger = files.filter(f -> f.getFileName().toString().equals("items.log")).findFirst().orElseThrow();
        }
        List<Integer> lengths = new ArrayList<>();
        for (String settled : Files.readAllLines(ledger)) {
            int position = Integer.parseInt(settled.split(" ")[0]); // the problem's line, from 1
            JsonNode problem = Json.MAPPER.readTree(lines.get(position - 1));
            lengths.add(problem.path("description").asText().length());
        }
        return lengths;
    }
}
