package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static dev.guidesmith.sim.SimClient.json;
import static dev.guidesmith.sim.SimClient.lines;
import static dev.guidesmith.sim.SimClient.schemaErrors;
import static dev.guidesmith.sim.SimClient.sseEvents;
import static org.assertj.core.api.Assertions.assertThat;

class OpenAiApiTest {

    private static final String PATH = "/v1/chat/completions";
    private static SimulatedModelServer sim;
    private static SimClient client;

    @BeforeAll
    static void start() {
        sim = new SimulatedModelServer(SimSettings.defaults().withName("openai-test").withModels("sim-a", "sim-b")
                .withReplyTokens(100).withContextTokens(1024)).start();
        client = new SimClient(sim.baseUri());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clear() {
        sim.reset();
    }

    private static ObjectNode chat(String text) {
        return SimClient.userMessages(text).put("model", "sim-b");
    }

    @Test
    void streamsSseChunksWithUsageAndDone() throws Exception {
        ObjectNode body = chat("1234567890").put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        HttpResponse<String> r = client.post(PATH, body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<String> raw = lines(r.body());
        assertThat(raw.get(raw.size() - 1)).isEqualTo("data: [DONE]");
        List<JsonNode> events = sseEvents(r.body());
        StringBuilder content = new StringBuilder();
        JsonNode finish = null;
        for (JsonNode e : events) {
            assertThat(e.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(e.get("model").asText()).isEqualTo("sim-b");
            assertThat(e.get("id").asText()).startsWith("chatcmpl-");
            if (e.get("choices").isEmpty()) {
                continue;
            }
            JsonNode choice = e.get("choices").get(0);
            content.append(choice.get("delta").path("content").asText(""));
            if (!choice.get("finish_reason").isNull()) {
                finish = choice;
            }
        }
        assertThat(events.get(0).get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
        assertThat(finish).isNotNull();
        assertThat(finish.get("finish_reason").asText()).isEqualTo("stop");
        JsonNode usageChunk = events.get(events.size() - 1);
        assertThat(usageChunk.get("choices")).isEmpty();
        assertThat(usageChunk.get("usage").get("prompt_tokens").asInt()).isEqualTo(3);
        assertThat(usageChunk.get("usage").get("completion_tokens").asInt()).isEqualTo(100);
        assertThat(usageChunk.get("usage").get("total_tokens").asInt()).isEqualTo(103);
        assertThat(content.toString()).startsWith("[simulated]").hasSize(400);

        // without include_usage there is no usage chunk
        List<JsonNode> plain = sseEvents(client.post(PATH, chat("1234567890").put("stream", true)).body());
        assertThat(plain).noneMatch(e -> e.has("usage"));
        assertThat(plain.get(plain.size() - 1).get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void nonStreamingWithJsonSchema() throws Exception {
        JsonNode schema = SimClient.guideSchema();
        ObjectNode body = chat("Write a guide.");
        ObjectNode format = body.putObject("response_format").put("type", "json_schema");
        format.putObject("json_schema").put("name", "guide").put("strict", true).set("schema", schema);
        HttpResponse<String> r = client.post(PATH, body);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = json(r.body());
        assertThat(j.get("object").asText()).isEqualTo("chat.completion");
        JsonNode choice = j.get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        JsonNode reply = json(choice.get("message").get("content").asText());
        assertThat(schemaErrors(schema, reply)).isEmpty();
        assertThat(j.get("usage").get("completion_tokens").asInt()).isPositive();
        assertThat(sim.calls().get(0).schemaRequested()).isTrue();

        // streamed, the concatenated deltas conform too
        body.put("stream", true);
        StringBuilder content = new StringBuilder();
        for (JsonNode e : sseEvents(client.post(PATH, body).body())) {
            content.append(e.get("choices").get(0).get("delta").path("content").asText(""));
        }
        assertThat(schemaErrors(schema, json(content.toString()))).isEmpty();
    }

    @Test
    void jsonObjectModeGivesAJsonObject() throws Exception {
        ObjectNode body = chat("anything");
        body.putObject("response_format").put("type", "json_object");
        JsonNode j = json(client.post(PATH, body).body());
        assertThat(json(j.get("choices").get(0).get("message").get("content").asText()).isObject()).isTrue();
        assertThat(sim.calls().get(0).schemaRequested()).isFalse();
    }

    @Test
    void maxTokensCutsWithFinishReasonLength() throws Exception {
        JsonNode j = json(client.post(PATH, chat("hi").put("max_tokens", 7)).body());
        assertThat(j.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(j.get("choices").get(0).get("message").get("content").asText()).hasSize(28);
        assertThat(j.get("usage").get("completion_tokens").asInt()).isEqualTo(7);

        List<JsonNode> events = sseEvents(client.post(PATH, chat("hi").put("max_tokens", 7).put("stream", true))
                .body());
        assertThat(events.get(events.size() - 1).get("choices").get(0).get("finish_reason").asText())
                .isEqualTo("length");
        assertThat(sim.counters().count(Outcome.LENGTH)).isEqualTo(2);
    }

    @Test
    void outputRunsIntoTheContext() throws Exception {
        // 1000 prompt tokens in a 1024 context leaves room for 24 of the 100 reply tokens
        JsonNode j = json(client.post(PATH, chat("z".repeat(4000))).body());
        assertThat(j.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(j.get("usage").get("completion_tokens").asInt()).isEqualTo(24);
    }

    @Test
    void promptOverTheContextGetsLlamaServersBody() throws Exception {
        for (boolean stream : new boolean[] {false, true}) {
            HttpResponse<String> r = client.post(PATH, chat("q".repeat(4 * 3009)).put("stream", stream));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"error\":{\"code\":400,\"message\":\"request (3009 tokens) exceeds the "
                    + "available context size (1024 tokens), try increasing it\",\"type\":\"exceed_context_size_error\","
                    + "\"n_prompt_tokens\":3009,\"n_ctx\":1024}}");
        }
    }

    @Test
    void unknownModelAndMissingModelAndModelsList() throws Exception {
        HttpResponse<String> r = client.post(PATH, SimClient.userMessages("hi").put("model", "gpt-9"));
        assertThat(r.statusCode()).isEqualTo(404);
        JsonNode err = json(r.body()).get("error");
        assertThat(err.get("message").asText()).isEqualTo("The model `gpt-9` does not exist.");
        assertThat(err.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(err.get("code").asText()).isEqualTo("model_not_found");

        JsonNode noModel = json(client.post(PATH, SimClient.userMessages("hi")).body());
        assertThat(noModel.get("model").asText()).as("no model: the first one").isEqualTo("sim-a");

        HttpResponse<String> noMessages = client.post(PATH, SimClient.obj().put("model", "sim-a"));
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(json(noMessages.body()).get("error").get("type").asText()).isEqualTo("invalid_request_error");

        JsonNode models = json(client.get("/v1/models").body());
        assertThat(models.get("object").asText()).isEqualTo("list");
        assertThat(models.get("data")).extracting(m -> m.get("id").asText()).containsExactly("sim-a", "sim-b");
    }
}
