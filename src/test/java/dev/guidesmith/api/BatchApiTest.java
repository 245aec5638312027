package dev.guidesmith.api;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.batches.BatchError;
import com.openai.models.batches.BatchListParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.support.Json;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.Workloads;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Batch API as an unmodified official client uses it ({@code com.openai:openai-java}): upload,
 * create, poll, download, list page by page, cancel mid-batch, an invalid file, a window that ends,
 * and the API key.
 */
class BatchApiTest {

    static final String MODEL = "sim-scorer";
    static final String KEY = "sk-guidesmith-batch-test";

    @TempDir
    Path dir;

    private static Map<String, String> fleet(SimulatedModelServer server, String... pairs) {
        Map<String, String> settings = new HashMap<>();
        settings.put("llm.endpoints", "box");
        settings.put("llm.endpoint.box.api", "openai");
        settings.put("llm.endpoint.box.url", server.baseUri().toString());
        settings.put("llm.endpoint.box.model", MODEL);
        settings.put("llm.endpoint.box.slots", Integer.toString(server.settings().slots()));
        settings.put("pipeline.http.api-key", KEY);
        settings.put("pipeline.batch.expiry-check-interval", "200ms");
        for (int i = 0; i < pairs.length; i += 2) {
            settings.put(pairs[i], pairs[i + 1]);
        }
        return settings;
    }

    private static SimulatedModelServer server(int slots, Duration tokenLatency) {
        return new SimulatedModelServer(SimSettings.defaults().withSlots(slots).withReplyTokens(30).withTokenLatency(tokenLatency)
                .withModels(MODEL)).start();
    }

    private static OpenAIClient client(InJvmService service, String key) {
        return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + service.httpPort() + "/v1").apiKey(key)
                .maxRetries(0).build();
    }

    private Batch start(OpenAIClient client, int requests, String window) throws Exception {
        Path file = Workloads.batch(dir.resolve("requests-" + System.nanoTime() + ".jsonl"), requests, MODEL, "Score from 1 to 5.");
        FileObject input = client.files().create(FileCreateParams.builder().file(file).purpose(FilePurpose.BATCH).build());
        return client.batches().create(BatchCreateParams.builder().inputFileId(input.id())
                .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                .completionWindow(BatchCreateParams.CompletionWindow.of(window)).build());
    }

    private static Batch awaitStatus(OpenAIClient client, String id, Batch.Status... statuses) throws Exception {
        Batch[] seen = new Batch[1];
        await("batch " + id + " to be " + List.of(statuses), Duration.ofMinutes(2), () -> {
            seen[0] = client.batches().retrieve(id);
            return List.of(statuses).contains(seen[0].status());
        });
        return seen[0];
    }

    private static java.net.http.HttpResponse<String> get(InJvmService service, String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + service.httpPort() + "/v1/" + path))
                .header("Authorization", "Bearer " + KEY).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> lines(OpenAIClient client, String fileId) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        try (InputStream content = client.files().content(fileId).body()) {
            for (String line : new String(content.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(Json.MAPPER.readTree(line));
                }
            }
        }
        return lines;
    }

    /** One server per API dialect, all serving the model. */
    private static Map<String, String> threeDialects(SimulatedModelServer... servers) {
        Map<String, String> settings = new HashMap<>();
        String[] apis = {"ollama", "openai", "llamacpp"};
        for (int i = 0; i < apis.length; i++) {
            settings.put("llm.endpoint." + apis[i] + ".api", apis[i]);
            settings.put("llm.endpoint." + apis[i] + ".url", servers[i].baseUri().toString());
            settings.put("llm.endpoint." + apis[i] + ".model", MODEL);
            settings.put("llm.endpoint." + apis[i] + ".slots", "2");
        }
        settings.put("llm.endpoints", String.join(",", apis));
        settings.put("pipeline.http.api-key", KEY);
        return settings;
    }

    @Test
    void uploadCreatePollAndDownloadWithTheOfficialClient() throws Exception {
        try (SimulatedModelServer ollama = server(2, Duration.ofMillis(1));
             SimulatedModelServer openai = server(2, Duration.ofMillis(1));
             SimulatedModelServer llama = server(2, Duration.ofMillis(1));
             InJvmService service = InJvmService.start(dir, threeDialects(ollama, openai, llama))) {
            OpenAIClient client = client(service, KEY);
            Batch created = start(client, 12, "24h");
            // the official client's own model objects, read strictly
            created.validate();
            assertThat(created.status()).isIn(Batch.Status.VALIDATING, Batch.Status.IN_PROGRESS);
            assertThat(created.endpoint()).isEqualTo("/v1/chat/completions");
            assertThat(created.expiresAt()).isPresent();

            Batch done = awaitStatus(client, created.id(), Batch.Status.COMPLETED);
            assertThat(done.requestCounts().orElseThrow().total()).isEqualTo(12);
            assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(12);
            assertThat(done.requestCounts().orElseThrow().failed()).isZero();
            assertThat(done.completedAt()).isPresent();
            assertThat(done.inProgressAt()).isPresent();
            assertThat(done.errorFileId()).isEmpty();
            assertThat(done.usage().orElseThrow().inputTokens()).isPositive();
            assertThat(done.usage().orElseThrow().outputTokens()).isPositive();

            List<JsonNode> output = lines(client, done.outputFileId().orElseThrow());
            Set<String> ids = new HashSet<>();
            output.forEach(line -> ids.add(line.path("custom_id").asText()));
            assertThat(output).hasSize(12);
            assertThat(ids).hasSize(12).contains("candidate-1", "candidate-12");
            assertThat(output.get(0).at("/response/body/object").asText()).isEqualTo("chat.completion");
            assertThat(client.files().retrieve(done.outputFileId().orElseThrow()).purpose().toString()).isEqualTo("batch_output");
            for (SimulatedModelServer server : List.of(ollama, openai, llama)) {
                assertThat(server.counters().completed()).as("every dialect took part").isPositive();
            }
            // beyond OpenAI's API: the answers as a table, and their summary
            java.net.http.HttpResponse<String> table = get(service, "batches/" + done.id() + "/results.csv");
            assertThat(table.statusCode()).isEqualTo(200);
            var rows = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new java.io.StringReader(table.body())).getRecords();
            assertThat(rows).hasSize(12).allSatisfy(row -> assertThat(row.get("status")).isEqualTo("answered"));
            assertThat(rows.get(0).getParser().getHeaderNames())
                    .containsExactly("custom_id", "answer", "status", "error", "prompt_tokens", "cached_tokens", "output_tokens");
            assertThat(rows).extracting(row -> row.get("custom_id")).startsWith("candidate-1", "candidate-2");
            JsonNode summary = Json.MAPPER.readTree(get(service, "batches/" + done.id() + "/summary").body());
            assertThat(summary.path("answered").asLong()).isEqualTo(12);
            assertThat(ollama.counters().completed() + openai.counters().completed() + llama.counters().completed()).isEqualTo(12);
        }
    }

    @Test
    void theListPagesThroughEveryBatchNewestFirst() throws Exception {
        try (SimulatedModelServer box = server(2, Duration.ZERO);
             InJvmService service = InJvmService.start(dir, fleet(box))) {
            OpenAIClient client = client(service, KEY);
            List<String> made = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                made.add(0, start(client, 2, "24h").id());
                Thread.sleep(1100); // created_at is in seconds: newest first is by second
            }
            var page = client.batches().list(BatchListParams.builder().limit(1).build());
            assertThat(page.data()).hasSize(1);
            assertThat(page.hasNextPage()).isTrue();
            List<String> listed = StreamSupport.stream(page.autoPager().spliterator(), false).map(Batch::id).toList();
            assertThat(listed).containsExactlyElementsOf(made);
            assertThatThrownBy(() -> client.batches().retrieve("batch_000000000000000000000000")).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void aCancelledBatchSendsNoMoreAndKeepsWhatWasAnswered() throws Exception {
        int requests = 60;
        try (SimulatedModelServer box = server(2, Duration.ofMillis(10));
             InJvmService service = InJvmService.start(dir, fleet(box))) {
            OpenAIClient client = client(service, KEY);
            Batch batch = start(client, requests, "24h");
            await("some answers", Duration.ofMinutes(1), () -> box.counters().completed() >= 6);
            Batch cancelling = client.batches().cancel(batch.id());
            assertThat(cancelling.status()).isIn(Batch.Status.CANCELLING, Batch.Status.CANCELLED);
            Batch cancelled = awaitStatus(client, batch.id(), Batch.Status.CANCELLED);
            long answered = cancelled.requestCounts().orElseThrow().completed();
            assertThat(answered).isBetween(6L, (long) requests - 10);
            assertThat(box.counters().received()).as("no call after the cancel beyond those under way").isLessThan(requests);
            List<JsonNode> errors = lines(client, cancelled.errorFileId().orElseThrow());
            assertThat(errors).hasSize(requests - (int) answered)
                    .allSatisfy(line -> assertThat(line.at("/error/code").asText()).isEqualTo("batch_cancelled"));
            assertThat(lines(client, cancelled.outputFileId().orElseThrow())).hasSize((int) answered);
            assertThatThrownBy(() -> client.batches().cancel(batch.id())).isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("cancelled already");
        }
    }

    @Test
    void anInvalidFileFailsTheBatchWithLineNumberedErrorsAndSendsNothing() throws Exception {
        try (SimulatedModelServer box = server(1, Duration.ZERO);
             InJvmService service = InJvmService.start(dir, fleet(box))) {
            OpenAIClient client = client(service, KEY);
            Path file = Files.writeString(dir.resolve("bad.jsonl"), String.join("\n",
                    "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"" + MODEL + "\",\"messages\":[]}}",
                    "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"" + MODEL + "\",\"messages\":[]}}",
                    "not json",
                    "{\"custom_id\":\"c\",\"method\":\"POST\",\"url\":\"/v1/completions\",\"body\":{\"model\":\"" + MODEL + "\",\"prompt\":\"x\"}}")
                    + "\n");
            FileObject input = client.files().create(FileCreateParams.builder().file(file).purpose(FilePurpose.BATCH).build());
            Batch batch = client.batches().create(BatchCreateParams.builder().inputFileId(input.id())
                    .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                    .completionWindow(BatchCreateParams.CompletionWindow._24H).build());
            Batch failed = awaitStatus(client, batch.id(), Batch.Status.FAILED);
            List<BatchError> errors = failed.errors().orElseThrow().data().orElseThrow();
            assertThat(errors).extracting(e -> e.code().orElseThrow(), e -> e.line().orElseThrow()).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("duplicate_custom_id", 2L),
                    org.assertj.core.groups.Tuple.tuple("invalid_json_line", 3L),
                    org.assertj.core.groups.Tuple.tuple("url_mismatch", 4L));
            assertThat(failed.failedAt()).isPresent();
            assertThat(box.counters().received()).isZero();
        }
    }

    @Test
    void aBatchPastItsWindowExpiresKeepingItsAnswers() throws Exception {
        int requests = 80;
        try (SimulatedModelServer box = server(1, Duration.ofMillis(20));
             InJvmService service = InJvmService.start(dir, fleet(box))) {
            OpenAIClient client = client(service, KEY);
            Batch batch = start(client, requests, "3s");
            Batch expired = awaitStatus(client, batch.id(), Batch.Status.EXPIRED);
            long answered = expired.requestCounts().orElseThrow().completed();
            assertThat(answered).isBetween(1L, (long) requests - 1);
            assertThat(expired.expiredAt()).isPresent();
            List<JsonNode> errors = lines(client, expired.errorFileId().orElseThrow());
            assertThat(errors).hasSize(requests - (int) answered)
                    .allSatisfy(line -> assertThat(line.at("/error/code").asText()).isEqualTo("batch_expired"));
        }
    }

    @Test
    void everyBatchCallNeedsTheKey() throws Exception {
        try (SimulatedModelServer box = server(1, Duration.ZERO);
             InJvmService service = InJvmService.start(dir, fleet(box))) {
            assertThatThrownBy(() -> client(service, "sk-wrong").batches().list()).isInstanceOf(UnauthorizedException.class);
            assertThatThrownBy(() -> start(client(service, "sk-wrong"), 1, "24h")).isInstanceOf(UnauthorizedException.class);
            assertThat(client(service, KEY).batches().list().data()).isEmpty();
        }
    }

    @Test
    void batchesTheirFilesAndTheirIdsSurviveARestart() throws Exception {
        try (SimulatedModelServer box = server(2, Duration.ZERO)) {
            String id;
            String output;
            try (InJvmService service = InJvmService.start(dir, fleet(box))) {
                OpenAIClient client = client(service, KEY);
                Batch done = awaitStatus(client, start(client, 5, "24h").id(), Batch.Status.COMPLETED);
                id = done.id();
                output = done.outputFileId().orElseThrow();
            }
            try (InJvmService restarted = InJvmService.start(dir, fleet(box))) {
                OpenAIClient client = client(restarted, KEY);
                Batch again = client.batches().retrieve(id);
                assertThat(again.status()).isEqualTo(Batch.Status.COMPLETED);
                assertThat(again.requestCounts().orElseThrow().completed()).isEqualTo(5);
                assertThat(again.outputFileId()).contains(output);
                assertThat(lines(client, output)).hasSize(5);
                assertThat(client.batches().list().data()).extracting(Batch::id).containsExactly(id);
            }
        }
    }
}
