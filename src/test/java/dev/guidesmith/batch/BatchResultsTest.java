package dev.guidesmith.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.jobs.ItemOutcome;
import dev.guidesmith.jobs.Job;
import dev.guidesmith.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Result lines in OpenAI's format, appended as requests finish; after a crash, a torn last line is
 * cut off and every whole line settles its request, so nothing is written twice or lost.
 */
class BatchResultsTest {

    @TempDir
    Path dir;

    private BatchItem item(long position) {
        return new BatchItem("job-1", position, "req-" + position, BatchEndpoint.CHAT_COMPLETIONS,
                Json.MAPPER.createObjectNode().put("model", "m"), "request");
    }

    @Test
    void linesAreOpenAisAndARestartRecoversWhatWasWritten() throws Exception {
        BatchRecords records = new LocalBatchRecords(dir.resolve("work/batches"));
        BatchRecord record = records.create("scores.jsonl", null, "/v1/chat/completions", null, null, Map.of());
        records.change(record.id, r -> {
            r.job = "job-1";
            r.outputFile = "scores.output.jsonl";
            r.errorFile = "scores.errors.jsonl";
        });
        Path folder = dir.resolve("output/batches");
        Job job = new Job("job-1", BatchJobKind.NAME, "scores.jsonl", dir.resolve("in.jsonl"), 4, "now");
        BatchResults results = new BatchResults(folder, records);
        results.create(job);
        JsonNode body = Json.MAPPER.readTree("{\"object\": \"chat.completion\", \"usage\": {\"prompt_tokens\": 10,"
                + " \"completion_tokens\": 3, \"prompt_tokens_details\": {\"cached_tokens\": 8}}}");
        results.answered(item(1), body, new BatchUsage(10, 8, 3));
        results.refused(item(2), 400, Json.MAPPER.readTree("{\"error\": {\"message\": \"too long\"}}"));
        results.failed(item(3), "batch_cancelled", "the batch was cancelled");
        results.close("job-1");

        JsonNode answered = Json.MAPPER.readTree(Files.readAllLines(folder.resolve("scores.output.jsonl")).get(0));
        assertThat(answered.path("custom_id").asText()).isEqualTo("req-1");
        assertThat(answered.path("id").asText()).isEqualTo("batch_req_job-1_1");
        assertThat(answered.path("response").path("status_code").asInt()).isEqualTo(200);
        assertThat(answered.path("response").path("request_id").asText()).startsWith("req_");
        assertThat(answered.path("error").isNull()).isTrue();
        List<String> errors = Files.readAllLines(folder.resolve("scores.errors.jsonl"));
        JsonNode refused = Json.MAPPER.readTree(errors.get(0));
        assertThat(refused.path("response").path("status_code").asInt()).isEqualTo(400);
        assertThat(refused.path("response").path("body").path("error").path("message").asText()).isEqualTo("too long");
        JsonNode cancelled = Json.MAPPER.readTree(errors.get(1));
        assertThat(cancelled.path("response").isNull()).isTrue();
        assertThat(cancelled.path("error").path("code").asText()).isEqualTo("batch_cancelled");

        // a kill -9 in the middle of the next line
        Files.writeString(folder.resolve("scores.output.jsonl"), "{\"id\": \"batch_req_job-1_4\", \"custom_id\": \"req-",
                java.nio.file.StandardOpenOption.APPEND);
        BatchResults restarted = new BatchResults(folder, new LocalBatchRecords(dir.resolve("work/batches")).load());
        Map<Long, ItemOutcome> recovered = new TreeMap<>();
        restarted.recover(job, recovered::put);
        assertThat(recovered).containsExactly(Map.entry(1L, ItemOutcome.DONE), Map.entry(2L, ItemOutcome.FAILED),
                Map.entry(3L, ItemOutcome.FAILED));
        assertThat(Files.readString(folder.resolve("scores.output.jsonl"))).as("the torn line is cut off").endsWith("}\n")
                .doesNotContain("batch_req_job-1_4");
        assertThat(restarted.usage("job-1")).isEqualTo(new BatchUsage(10, 8, 3));
    }
}
