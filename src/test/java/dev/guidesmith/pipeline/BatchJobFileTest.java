package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.support.Json;
import dev.guidesmith.testing.SimOllama;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.ServiceProcess;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From a spreadsheet: a CSV and a job file with a prompt template become a batch, one request per
 * row, and the answers come back as a table, the input's columns kept, the schema's fields as
 * columns, in input order.
 */
class BatchJobFileTest {

    static final String CSV = """
            email,name,summary
            ada@example.com,Ada,"Led a team of five, shipped ""Atlas"" on time."
            bob@example.com,"Bob, Jr.","Ten years of Java.
            Wrote the billing engine."
            cy@example.com,Cy,Likes Kotlin
            """;

    static final String JOB = """
            input: candidates.csv
            id: email
            model: %s
            max_tokens: 200
            temperature: 0
            system: |
              Score the candidate from 1 to 5 for a senior backend role.
            prompt: "Candidate {{name}}: {{summary}}"
            schema:
              type: object
              properties:
                score: {type: integer, minimum: 1, maximum: 5}
                reason: {type: string}
              required: [score, reason]
            """.formatted(SimOllama.MODEL);

    @TempDir
    Path dir;

    private static List<CSVRecord> table(Path file) throws Exception {
        try (Reader reader = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
        }
    }

    @Test
    void aCsvAndATemplateBecomeABatchAndItsAnswersATable() throws Exception {
        try (SimOllama box = SimOllama.start("box");
             InJvmService service = InJvmService.start(dir, box.fleet())) {
            Files.createDirectories(service.inbox());
            Files.writeString(service.inbox().resolve("candidates.csv"), CSV);
            service.drop(JOB, "scores.batch.yaml");
            service.awaitSettled("scores.batch.yaml", Duration.ofMinutes(1));

            List<String> requests = Files.readAllLines(service.output().resolve("batches/scores.output.jsonl"));
            assertThat(requests).hasSize(3);
            Path results = service.output().resolve("batches/scores.results.csv");
            List<CSVRecord> rows = table(results);
            assertThat(rows.get(0).getParser().getHeaderNames()).containsExactly("email", "name", "summary", "score", "reason",
                    "status", "error", "prompt_tokens", "cached_tokens", "output_tokens");
            assertThat(rows).extracting(row -> row.get("email")).containsExactly("ada@example.com", "bob@example.com", "cy@example.com");
            assertThat(rows.get(1).get("name")).isEqualTo("Bob, Jr.");
            assertThat(rows.get(1).get("summary")).isEqualTo("Ten years of Java.\nWrote the billing engine.");
            assertThat(rows.get(0).get("summary")).isEqualTo("Led a team of five, shipped \"Atlas\" on time.");
            for (CSVRecord row : rows) {
                assertThat(row.get("status")).isEqualTo("answered");
                assertThat(Integer.parseInt(row.get("score"))).isBetween(1, 5);
                assertThat(row.get("reason")).isNotBlank();
                assertThat(Long.parseLong(row.get("prompt_tokens"))).isPositive();
            }
            // the user message is the template over the row; the rubric goes first, as the system message
            JsonNode call = Json.MAPPER.readTree(Files.readString(service.work().resolve(
                    "jobs/finished").toFile().listFiles()[0].toPath().resolve("requests.jsonl")).lines().toList().get(1));
            assertThat(call.at("/body/messages/0/role").asText()).isEqualTo("system");
            assertThat(call.at("/body/messages/1/content").asText()).isEqualTo("Candidate Bob, Jr.: Ten years of Java.\nWrote the billing engine.");
            assertThat(call.path("custom_id").asText()).isEqualTo("bob@example.com");

            JsonNode summary = Json.MAPPER.readTree(service.output().resolve("batches/scores.summary.json").toFile());
            assertThat(summary.path("answered").asLong()).isEqualTo(3);
            assertThat(summary.at("/fields/score/count").asLong()).isEqualTo(3);
            assertThat(summary.at("/fields/score/min").asDouble()).isBetween(1.0, 5.0);
            String report;
            try (var reports = Files.list(service.work().resolve("reports"))) {
                report = Files.readString(reports.filter(f -> f.toString().endsWith(".md")).findFirst().orElseThrow());
            }
            assertThat(report).contains("## Answers").contains("| answered | 3 |").contains("### score")
                    .contains("3 answers: min ");
        }
    }

    @Test
    void aTemplateUsingAColumnTheTableLacksIsRefusedNamingIt() throws Exception {
        try (SimOllama box = SimOllama.start("box");
             InJvmService service = InJvmService.start(dir, box.fleet())) {
            Files.createDirectories(service.inbox());
            Files.writeString(service.inbox().resolve("candidates.csv"), CSV);
            service.drop(JOB.replace("{{summary}}", "{{résumé}}"), "bad.batch.yaml");
            service.awaitSettled("bad.batch.yaml", Duration.ofMinutes(1));
            assertThat(Files.readString(service.inbox().resolve(".rejected/bad.batch.yaml.reason.txt")))
                    .contains("the prompt uses the column 'résumé', which candidates.csv does not have")
                    .contains("email, name, summary");
            assertThat(box.calls()).isZero();
        }
    }

    @Test
    void aCrashMidBatchLeavesTheTableCompleteAfterTheRestart() throws Exception {
        int rows = 120;
        StringBuilder csv = new StringBuilder("email,name,summary\n");
        for (int i = 1; i <= rows; i++) {
            csv.append("c").append(i).append("@example.com,Candidate ").append(i).append(",\"Notes, with a comma\"\n");
        }
        try (SimOllama box = SimOllama.start("box", SimSettings.defaults().withSlots(2).withReplyTokens(40)
                .withTokenLatency(Duration.ofMillis(5)))) {
            Map<String, String> settings = box.fleet();
            Path output = dir.resolve("output/batches/scores.output.jsonl");
            try (ServiceProcess first = ServiceProcess.start(dir, settings, "first.log")) {
                Files.createDirectories(first.inbox());
                Files.writeString(first.inbox().resolve("candidates.csv"), csv.toString());
                first.drop(JOB, "scores.batch.yaml");
                await("some answers", Duration.ofMinutes(2), () -> Files.exists(output) && Files.readAllLines(output).size() >= 20);
                first.kill();
            }
            try (ServiceProcess second = ServiceProcess.start(dir, settings, "second.log")) {
                await("the batch to finish", Duration.ofMinutes(3), () -> second.jobsSettled()
                        && Files.exists(dir.resolve("output/batches/scores.summary.json"))
                        && Json.MAPPER.readTree(dir.resolve("output/batches/scores.summary.json").toFile()).path("answered").asLong() == rows);
            }
            List<CSVRecord> table = table(dir.resolve("output/batches/scores.results.csv"));
            assertThat(table).hasSize(rows);
            for (int i = 0; i < rows; i++) {
                assertThat(table.get(i).get("email")).isEqualTo("c" + (i + 1) + "@example.com");
                assertThat(table.get(i).get("status")).isEqualTo("answered");
                assertThat(table.get(i).get("summary")).isEqualTo("Notes, with a comma");
            }
        }
    }
}
