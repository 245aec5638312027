package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.support.Json;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.ServiceUnderTest;
import dev.guidesmith.testkit.Workloads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that share a long rubric are served mostly from the servers' prompt caches, and the
 * cached tokens are counted as the servers report them: by a real llama-server (the portable build
 * beside the tiny real model), and by the in-process llama.cpp engine on that model.
 */
class BatchPromptCacheTest {

    static final Path MODEL = EmbeddedPipelineTest.MODEL;
    static final Path LLAMA_SERVER = Path.of("../shared/tools/llama-server");
    static final int REQUESTS = 12;
    /** A rubric of about 300 of the tiny model's tokens: it fits its 512-token training context with room to answer. */
    static final String RUBRIC = "You score candidates. Read the story and give a score from one to five. ".repeat(6);

    @TempDir
    Path dir;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BatchPromptCacheTest.class);

    /** Usage summed over the answers of the batch's output file. */
    private static long[] usage(Path output) throws IOException {
        long prompt = 0;
        long cached = 0;
        for (String text : Files.readAllLines(output)) {
            JsonNode usage = Json.MAPPER.readTree(text).at("/response/body/usage");
            prompt += usage.path("prompt_tokens").asLong();
            cached += usage.path("prompt_tokens_details").path("cached_tokens").asLong();
        }
        LOG.info("{}: {} prompt tokens, {} of them cached ({}%)", output.getFileName(), prompt, cached,
                prompt == 0 ? 0 : 100 * cached / prompt);
        return new long[] {prompt, cached};
    }

    private void runBatch(InJvmService service) throws Exception {
        Path file = Workloads.batch(dir.resolve("rubric.jsonl"), REQUESTS, "stories", RUBRIC);
        // short answers: the point is the prompt
        Files.writeString(file, Files.readString(file).replace("\"max_tokens\": 100", "\"max_tokens\": 8"));
        service.drop(file, "rubric.jsonl");
        service.awaitSettled("rubric.jsonl", Duration.ofMinutes(3));
    }

    @Test
    void aRealLlamaServerReportsTheSharedRubricCached() throws Exception {
        assumeTrue(Files.isExecutable(LLAMA_SERVER) && Files.exists(MODEL), "the real llama-server (" + LLAMA_SERVER
                + ") or the tiny model (" + MODEL + ") is not here (see shared/tools/README.md): skipped");
        int port = ServiceUnderTest.freePort();
        Process server = new ProcessBuilder(LLAMA_SERVER.toString(), "-m", MODEL.toString(), "-c", "2048", "-np", "2", "-t", "1",
                "--host", "127.0.0.1", "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("llama-server.log").toFile()).start();
        try {
            await("llama-server to load the model", Duration.ofSeconds(60), () -> healthy(port));
            try (InJvmService service = InJvmService.start(dir, Map.of(
                    "llm.endpoints", "llama",
                    "llm.endpoint.llama.api", "llamacpp",
                    "llm.endpoint.llama.url", "http://127.0.0.1:" + port,
                    "llm.endpoint.llama.model", "stories"))) {
                runBatch(service);
                long[] usage = usage(service.output().resolve("batches/rubric.output.jsonl"));
                assertThat(Files.readAllLines(service.output().resolve("batches/rubric.output.jsonl"))).hasSize(REQUESTS);
                assertThat(usage[1]).as("cached of " + usage[0] + " prompt tokens").isGreaterThan(usage[0] / 2);
                JsonNode endpoint = service.status().at("/endpoints/llama");
                assertThat(endpoint.path("cachedTokens").asLong()).isEqualTo(usage[1]);
            }
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    @Test
    void theInProcessEngineCountsTheSharedRubricCached() throws Exception {
        assumeTrue(Files.exists(MODEL), "the tiny model " + MODEL + " is not here (see shared/models/README.md): skipped");
        try (InJvmService service = InJvmService.start(dir, Map.of(
                "llm.endpoints", "here",
                "llm.endpoint.here.api", "embedded",
                "llm.endpoint.here.model", MODEL.toString(),
                "llm.endpoint.here.aliases", "stories",
                "llm.endpoint.here.slots", "1",
                "llm.endpoint.here.context", "1024"))) {
            runBatch(service);
            long[] usage = usage(service.output().resolve("batches/rubric.output.jsonl"));
            assertThat(usage[1]).as("cached of " + usage[0] + " prompt tokens").isGreaterThan(usage[0] / 2);
        }
    }

    private static boolean healthy(int port) {
        try {
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
