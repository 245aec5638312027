package dev.guidesmith.testing;

import static dev.guidesmith.testkit.ServiceUnderTest.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import dev.guidesmith.support.Json;
import dev.guidesmith.testkit.ServiceUnderTest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A service's Batch API through the official OpenAI client, as users drive it. */
public final class OpenAiBatches {

    private OpenAiBatches() {
    }

    public static OpenAIClient client(ServiceUnderTest service) {
        return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + service.httpPort() + "/v1").apiKey("unused")
                .maxRetries(0).build();
    }

    /** Uploads the requests and makes a batch of them (chat completions, 24 h window). */
    public static Batch create(OpenAIClient client, Path requests) {
        FileObject input = client.files().create(FileCreateParams.builder().file(requests).purpose(FilePurpose.BATCH).build());
        return client.batches().create(BatchCreateParams.builder().inputFileId(input.id())
                .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                .completionWindow(BatchCreateParams.CompletionWindow._24H).build());
    }

    public static Batch awaitStatus(OpenAIClient client, String id, Duration timeout, Batch.Status status) throws Exception {
        Batch[] seen = new Batch[1];
        await("batch " + id + " to be " + status, timeout, () -> {
            seen[0] = client.batches().retrieve(id);
            return seen[0].status().equals(status);
        });
        return seen[0];
    }

    /** The lines of a file the service made (a batch's output or errors). */
    public static List<JsonNode> lines(OpenAIClient client, String fileId) throws Exception {
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

    /** How many lines name each custom_id. */
    public static Map<String, Long> perCustomId(List<JsonNode> lines) {
        return lines.stream().collect(Collectors.groupingBy(line -> line.path("custom_id").asText(), Collectors.counting()));
    }
}
