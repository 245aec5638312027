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
import static dev.guidesmith.sim.SimClient.obj;
import static dev.guidesmith.sim.SimClient.schemaErrors;
import static org.assertj.core.api.Assertions.assertThat;

class OllamaApiTest {

    private static final String MODEL = "qwen2.5-coder:7b";
    private static SimulatedModelServer sim;
    private static SimClient client;

    @BeforeAll
    static void start() {
        sim = new SimulatedModelServer(SimSettings.defaults().withName("ollama-test").withModels(MODEL, "llama3.2")
                .withReplyTokens(120).withContextTokens(2048)).start();
        client = new SimClient(sim.baseUri());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clear() {
        sim.setFaults(SimFaults.none());
        sim.reset();
    }

    private static ObjectNode chat(String text) {
        ObjectNode body = SimClient.userMessages(text);
        body.put("model", MODEL);
        return body;
    }

    @Test
    void chatStreamsNdjsonByDefault() throws Exception {
        String prompt = "Explain two-sum in detail."; // 26 chars -> 7 tokens
        HttpResponse<String> r = client.post("/api/chat", chat(prompt));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        List<String> lines = lines(r.body());
        assertThat(lines.size()).isGreaterThan(2);
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < lines.size() - 1; i++) {
            JsonNode line = json(lines.get(i));
            assertThat(line.get("model").asText()).isEqualTo(MODEL);
            assertThat(line.get("created_at").asText()).isNotEmpty();
            assertThat(line.get("message").get("role").asText()).isEqualTo("assistant");
            assertThat(line.get("done").asBoolean()).isFalse();
            content.append(line.get("message").get("content").asText());
        }
        JsonNode last = json(lines.get(lines.size() - 1));
        assertThat(last.get("done").asBoolean()).isTrue();
        assertThat(last.get("done_reason").asText()).isEqualTo("stop");
        assertThat(last.get("message").get("content").asText()).isEmpty();
        assertThat(last.get("prompt_eval_count").asInt()).isEqualTo(7);
        assertThat(last.get("eval_count").asInt()).isEqualTo(120);
        assertThat(last.get("eval_duration").asLong()).isPositive();
        assertThat(last.get("total_duration").asLong()).isPositive();
        assertThat(content.toString()).startsWith("[simulated]").hasSize(120 * 4);

        // deterministic for the same request, streamed or not
        HttpResponse<String> again = client.post("/api/chat", chat(prompt).put("stream", false));
        JsonNode whole = json(again.body());
        assertThat(whole.get("message").get("content").asText()).isEqualTo(content.toString());
        assertThat(whole.get("done").asBoolean()).isTrue();
        assertThat(whole.get("done_reason").asText()).isEqualTo("stop");

        List<CallRecord> calls = sim.calls();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).api()).isEqualTo(SimApi.OLLAMA);
        assertThat(calls.get(0).stream()).isTrue();
        assertThat(calls.get(1).stream()).isFalse();
        assertThat(calls.get(0).promptTokens()).isEqualTo(7);
        assertThat(calls.get(0).outputTokens()).isEqualTo(120);
        assertThat(calls.get(0).outcome()).isEqualTo(Outcome.STOP);
    }

    @Test
    void chatWithSchemaReturnsConformingJsonStreamedAndWhole() throws Exception {
        JsonNode schema = SimClient.guideSchema();
        ObjectNode body = chat("Write a guide for problem 20.");
        body.set("format", schema);
        body.put("stream", false);
        JsonNode whole = json(client.post("/api/chat", body).body());
        JsonNode reply = json(whole.get("message").get("content").asText());
        assertThat(schemaErrors(schema, reply)).isEmpty();

        body.put("stream", true);
        StringBuilder streamed = new StringBuilder();
        for (String l : lines(client.post("/api/chat", body).body())) {
            streamed.append(json(l).get("message").get("content").asText());
        }
        assertThat(schemaErrors(schema, json(streamed.toString()))).isEmpty();
        assertThat(streamed.toString()).isEqualTo(whole.get("message").get("content").asText());
        assertThat(sim.calls()).allSatisfy(c -> assertThat(c.schemaRequested()).isTrue());
    }

    @Test
    void generateUsesPromptAndResponseAndFormatJson() throws Exception {
        ObjectNode body = obj().put("model", "llama3.2:latest").put("prompt", "12345678").put("system", "abcd")
                .put("format", "json").put("stream", false);
        JsonNode r = json(client.post("/api/generate", body).body());
        assertThat(r.get("model").asText()).isEqualTo("llama3.2");
        assertThat(r.get("prompt_eval_count").asInt()).isEqualTo(3);
        assertThat(json(r.get("response").asText()).isObject()).isTrue();

        body.put("stream", true).remove("format");
        List<String> lines = lines(client.post("/api/generate", body).body());
        assertThat(json(lines.get(0)).has("response")).isTrue();
        assertThat(json(lines.get(0)).get("response").asText()).startsWith("[simulated]");
        assertThat(json(lines.get(lines.size() - 1)).get("done").asBoolean()).isTrue();
    }

    @Test
    void numPredictCutsTheReplyWithDoneReasonLength() throws Exception {
        ObjectNode body = chat("hello");
        body.putObject("options").put("num_predict", 10);
        List<String> lines = lines(client.post("/api/chat", body).body());
        JsonNode last = json(lines.get(lines.size() - 1));
        assertThat(last.get("done_reason").asText()).isEqualTo("length");
        assertThat(last.get("eval_count").asInt()).isEqualTo(10);
        StringBuilder content = new StringBuilder();
        lines.forEach(l -> content.append(json(l).get("message").get("content").asText()));
        assertThat(content).hasSize(40);
        assertThat(sim.calls().get(0).outcome()).isEqualTo(Outcome.LENGTH);
        assertThat(sim.counters().completed()).isEqualTo(1);
    }

    @Test
    void promptOverTheContextIs400OrSilentlyTruncated() throws Exception {
        ObjectNode body = chat("x".repeat(4 * 300)); // 300 tokens
        body.putObject("options").put("num_ctx", 256);
        HttpResponse<String> r = client.post("/api/chat", body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\":\"the prompt is longer than the context length currently "
                + "available to the model; shorten the prompt, adjust the context length in settings, or use a "
                + "model with a longer context length\"}");
        assertThat(sim.counters().count(Outcome.CONTEXT_OVERFLOW)).isEqualTo(1);

        // the server's own context (2048) applies without num_ctx
        assertThat(client.post("/api/chat", chat("y".repeat(4 * 2049))).statusCode()).isEqualTo(400);
        assertThat(client.post("/api/chat", chat("y".repeat(4 * 2048)).put("stream", false)).statusCode())
                .isEqualTo(200);

        sim.setFaults(SimFaults.none().withSilentTruncation(true));
        body.put("stream", false);
        HttpResponse<String> silent = client.post("/api/chat", body);
        assertThat(silent.statusCode()).isEqualTo(200);
        JsonNode j = json(silent.body());
        assertThat(j.get("prompt_eval_count").asInt()).isEqualTo(256);
        assertThat(j.get("done_reason").asText()).isEqualTo("stop");
        CallRecord last = sim.calls().get(sim.calls().size() - 1);
        assertThat(last.promptTruncated()).isTrue();
        assertThat(last.promptTokens()).isEqualTo(300);
    }

    @Test
    void unknownOrMissingModelAndBadJson() throws Exception {
        HttpResponse<String> r = client.post("/api/chat", SimClient.userMessages("hi").put("model", "mistral"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"error\":\"model \\\"mistral\\\" not found, try pulling it first\"}");
        HttpResponse<String> missing = client.post("/api/generate", obj().put("prompt", "hi"));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing.body()).get("error").asText()).isEqualTo("model is required");
        HttpResponse<String> bad = client.postRaw("/api/chat", "{not json");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad.body()).get("error").asText()).isNotEmpty();
        assertThat(sim.counters().count(Outcome.UNKNOWN_MODEL)).isEqualTo(1);
        assertThat(sim.counters().count(Outcome.BAD_REQUEST)).isEqualTo(2);
        assertThat(sim.counters().received()).isEqualTo(3);
        assertThat(sim.counters().failed()).isEqualTo(3);
    }

    @Test
    void versionTagsAndPs() throws Exception {
        assertThat(json(client.get("/api/version").body()).get("version").asText()).isNotEmpty();
        JsonNode tags = json(client.get("/api/tags").body());
        assertThat(tags.get("models")).hasSize(2);
        assertThat(tags.get("models").get(0).get("name").asText()).isEqualTo(MODEL);
        assertThat(tags.get("models").get(0).get("digest").asText()).hasSize(64);
        JsonNode ps = json(client.get("/api/ps").body());
        assertThat(ps.get("models").get(0).get("context_length").asInt()).isEqualTo(2048);
        assertThat(client.get("/").body()).isEqualTo("Ollama is running");
        assertThat(client.get("/api/nothing").statusCode()).isEqualTo(404);
        assertThat(sim.counters().received()).as("only generation requests are counted").isZero();
    }
}
