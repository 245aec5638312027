package dev.guidesmith.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.support.Json;
import dev.guidesmith.testkit.InJvmService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch file dropped into the inbox runs over the whole fleet (each of the three API dialects
 * here), and its results come back in OpenAI's line format, one line per custom_id.
 */
class BatchFilesTest {

    static final int REQUESTS = 30;
    static final SimSettings SERVER = SimSettings.defaults().withSlots(2).withReplyTokens(40).withTokenLatency(Duration.ofMillis(1));

    @TempDir
    Path dir;

    static String request(String id, String model, String content) {
        return "{\"custom_id\": \"" + id + "\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", \"body\": {\"model\": \""
                + model + "\", \"messages\": [{\"role\": \"system\", \"content\": \"Score the candidate from 1 to 5.\"},"
                + " {\"role\": \"user\", \"content\": \"" + content + "\"}], \"max_tokens\": 200, \"temperature\": 0}}";
    }

    private static Map<String, String> fleet(SimulatedModelServer... servers) {
        String[] apis = {"ollama", "openai", "llamacpp"};
        Map<String, String> settings = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < servers.length; i++) {
            String name = apis[i];
            names.add(name);
            settings.put("llm.endpoint." + name + ".api", apis[i]);
            settings.put("llm.endpoint." + name + ".url", servers[i].baseUri().toString());
            settings.put("llm.endpoint." + name + ".model", "sim-coder");
            settings.put("llm.endpoint." + name + ".aliases", "scorer");
            settings.put("llm.endpoint." + name + ".slots", "2");
        }
        settings.put("llm.endpoints", String.join(",", names));
        return settings;
    }

    @Test
    void aBatchFileRunsOverEveryApiAndAnswersEachCustomIdOnce() throws Exception {
        try (SimulatedModelServer ollama = new SimulatedModelServer(SERVER.withName("o").withModels("sim-coder")).start();
             SimulatedModelServer openai = new SimulatedModelServer(SERVER.withName("v").withModels("sim-coder")).start();
             SimulatedModelServer llama = new SimulatedModelServer(SERVER.withName("l").withModels("sim-coder")).start();
             InJvmService service = InJvmService.start(dir, fleet(ollama, openai, llama))) {
            StringBuilder file = new StringBuilder();
            for (int i = 1; i <= REQUESTS; i++) {
                file.append(request("cand-" + i, i % 2 == 0 ? "sim-coder" : "scorer", "Candidate " + i)).append('\n');
            }
            service.drop(file.toString(), "scores.jsonl");
            service.awaitSettled("scores.jsonl", Duration.ofMinutes(1));

            Path output = service.output().resolve("batches/scores.output.jsonl");
            List<String> lines = Files.readAllLines(output);
            assertThat(lines).hasSize(REQUESTS);
            Set<String> ids = new HashSet<>();
            for (String text : lines) {
                JsonNode line = Json.MAPPER.readTree(text);
                ids.add(line.path("custom_id").asText());
                assertThat(line.path("id").asText()).startsWith("batch_req_");
                assertThat(line.path("error").isNull()).isTrue();
                JsonNode response = line.path("response");
                assertThat(response.path("status_code").asInt()).isEqualTo(200);
                JsonNode body = response.path("body");
                assertThat(body.path("object").asText()).isEqualTo("chat.completion");
                assertThat(body.at("/choices/0/message/role").asText()).isEqualTo("assistant");
                assertThat(body.at("/choices/0/message/content").asText()).isNotBlank();
                assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
                assertThat(body.at("/usage/prompt_tokens").asInt()).isPositive();
                assertThat(body.at("/usage/completion_tokens").asInt()).isPositive();
            }
            assertThat(ids).hasSize(REQUESTS);
            assertThat(service.output().resolve("batches/scores.errors.jsonl")).as("no request failed").doesNotExist();
            for (SimulatedModelServer server : List.of(ollama, openai, llama)) {
                assertThat(server.counters().completed()).as(server.settings().name() + " took part").isPositive();
                assertThat(server.counters().maxInside()).isLessThanOrEqualTo(2);
            }
            assertThat(ollama.counters().completed() + openai.counters().completed() + llama.counters().completed())
                    .as("one call per request").isEqualTo(REQUESTS);
        }
    }

    @Test
    void aRequestTheServerRefusesIsAnErrorLineWithTheServersAnswer() throws Exception {
        try (SimulatedModelServer small = new SimulatedModelServer(SERVER.withModels("sim-coder").withContextTokens(256)).start();
             InJvmService service = InJvmService.start(dir, Map.of(
                     "llm.endpoints", "small",
                     "llm.endpoint.small.api", "openai",
                     "llm.endpoint.small.url", small.baseUri().toString(),
                     "llm.endpoint.small.model", "sim-coder",
                     "llm.retry.delay-ms", "10",
                     "llm.retry.max-redeliveries", "1"))) {
            String file = request("fits", "sim-coder", "short") + "\n" + request("too-long", "sim-coder", "word ".repeat(2000)) + "\n";
            service.drop(file, "mixed.jsonl");
            service.awaitSettled("mixed.jsonl", Duration.ofMinutes(1));
            List<String> answered = Files.readAllLines(service.output().resolve("batches/mixed.output.jsonl"));
            List<String> failed = Files.readAllLines(service.output().resolve("batches/mixed.errors.jsonl"));
            assertThat(answered).hasSize(1).allSatisfy(line -> assertThat(line).contains("\"custom_id\":\"fits\""));
            assertThat(failed).hasSize(1);
            JsonNode error = Json.MAPPER.readTree(failed.get(0));
            assertThat(error.path("custom_id").asText()).isEqualTo("too-long");
            assertThat(error.at("/response/status_code").asInt()).isEqualTo(400);
            assertThat(error.at("/response/body/error/message").asText()).contains("context");
        }
    }

    @Test
    void aBatchFileWithABadLineIsRefusedWholeAndNothingIsSent() throws Exception {
        try (SimulatedModelServer server = new SimulatedModelServer(SERVER.withModels("sim-coder")).start();
             InJvmService service = InJvmService.start(dir, fleet(server))) {
            String file = request("a", "sim-coder", "x") + "\n" + request("a", "gpt-4o", "y") + "\n";
            service.drop(file, "bad.jsonl");
            service.awaitSettled("bad.jsonl", Duration.ofMinutes(1));
            assertThat(service.inbox().resolve(".rejected/bad.jsonl")).exists();
            assertThat(Files.readString(service.inbox().resolve(".rejected/bad.jsonl.reason.txt")))
                    .contains("Line 2 repeats custom_id \"a\" of line 1")
                    .contains("Line 2 asks for model \"gpt-4o\", which no endpoint serves");
            assertThat(server.counters().received()).isZero();
        }
    }

    @Test
    void aBatchUnderWayIsSeenLikeAnyJobAndGetsItsReport() throws Exception {
        try (SimulatedModelServer llama = new SimulatedModelServer(SERVER.withName("l").withModels("sim-coder")
                .withTokenLatency(Duration.ofMillis(20))).start();
             InJvmService service = InJvmService.start(dir, Map.of(
                     "llm.endpoints", "l",
                     "llm.endpoint.l.api", "llamacpp",
                     "llm.endpoint.l.url", llama.baseUri().toString(),
                     "llm.endpoint.l.model", "sim-coder"))) {
            StringBuilder file = new StringBuilder();
            for (int i = 1; i <= REQUESTS; i++) {
                file.append(request("c-" + i, "sim-coder", "Candidate " + i)).append('\n');
            }
            service.drop(file.toString(), "watched.jsonl");
            JsonNode[] job = new JsonNode[1];
            dev.guidesmith.testkit.ServiceUnderTest.await("the batch under way with answers", Duration.ofMinutes(1), () -> {
                job[0] = service.status().at("/jobs/0");
                return job[0].path("kind").asText().equals("batch") && job[0].path("calls").asLong() >= 3;
            });
            assertThat(job[0].path("name").asText()).isEqualTo("watched.jsonl");
            assertThat(job[0].path("entries").asLong()).isEqualTo(REQUESTS);
            assertThat(job[0].path("promptTokens").asLong()).isPositive();
            assertThat(job[0].path("cachedTokens").asLong()).as("every request starts with the same system prompt").isPositive();
            String metrics = new dev.guidesmith.testing.StatusClient(service.httpPort()).metrics().text();
            assertThat(metrics).contains("guidesmith_job_items{job=\"" + job[0].path("id").asText() + "\",kind=\"batch\",state=\"total\"} "
                    + REQUESTS);
            assertThat(metrics).contains("guidesmith_job_tokens{job=\"" + job[0].path("id").asText() + "\",kind=\"batch\",type=\"cached\"}");

            service.awaitSettled("watched.jsonl", Duration.ofMinutes(1));
            Path report = service.work().resolve("reports/" + job[0].path("id").asText() + ".md");
            assertThat(Files.readString(report)).contains("| **answered** | **" + REQUESTS + "** |")
                    .contains("This job's own model calls: " + REQUESTS + " answered").doesNotContain("## Stages");
            assertThat(new dev.guidesmith.testing.StatusClient(service.httpPort()).metrics().text())
                    .as("a finished job's metrics go").doesNotContain("guidesmith_job_items{job=\"" + job[0].path("id").asText());
        }
    }

    @Test
    void aBatchIsNotStarvedByABigProblemsFileRunningAtTheSameTime() throws Exception {
        int problems = 40;
        int requests = 12;
        // one slow 2-slot server: 120 guide calls take far longer than the batch's 12
        Map<String, String> settings = new HashMap<>();
        // room for every problem at once, and statements given: the guide job's calls are all of later
        // stages, which go first in a queue; only taking turns gives the batch its share
        settings.put("pipeline.max-in-flight", "200");
        try (SimulatedModelServer box = new SimulatedModelServer(SERVER.withModels("sim-coder").withReplyTokens(40)
                .withTokenLatency(Duration.ofMillis(2))).start()) {
            settings.putAll(fleet(box));
            InJvmService service = InJvmService.start(dir, settings);
            StringBuilder file = new StringBuilder();
            for (int id = 1; id <= problems; id++) {
                file.append("{\"id\": ").append(id).append(", \"title\": \"Problem ").append(id)
                        .append("\", \"description\": \"Return the sum of the array.\"}\n");
            }
            service.drop(file.toString(), "problems.jsonl");
            dev.guidesmith.testkit.ServiceUnderTest.await("the guide job under way", Duration.ofMinutes(1),
                    () -> box.counters().completed() >= 8);
            StringBuilder batch = new StringBuilder();
            for (int i = 1; i <= requests; i++) {
                batch.append(request("b-" + i, "sim-coder", "Candidate " + i)).append('\n');
            }
            service.drop(batch.toString(), "scores.jsonl");
            dev.guidesmith.testkit.ServiceUnderTest.await("the batch to finish", Duration.ofMinutes(2),
                    () -> Files.exists(service.output().resolve("batches/scores.output.jsonl"))
                            && Files.readAllLines(service.output().resolve("batches/scores.output.jsonl")).size() == requests);
            assertThat(service.guideCount()).as("guides written when the batch ended: the batch took turns, not the last place")
                    .isLessThan(problems / 2);
            service.awaitSettled("problems.jsonl", Duration.ofMinutes(3));
            assertThat(service.guideCount()).isEqualTo(problems);
            service.close();
        }
    }
}
