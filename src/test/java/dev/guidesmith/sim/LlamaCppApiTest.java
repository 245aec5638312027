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
import static dev.guidesmith.sim.SimClient.sseEvents;
import static org.assertj.core.api.Assertions.assertThat;

class LlamaCppApiTest {

    private static SimulatedModelServer sim;
    private static SimClient client;

    @BeforeAll
    static void start() {
        sim = new SimulatedModelServer(SimSettings.defaults().withName("llama-test").withSlots(3)
                .withReplyTokens(80).withContextTokens(512)).start();
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

    @Test
    void healthPropsAndSlots() throws Exception {
        HttpResponse<String> health = client.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        JsonNode props = json(client.get("/props").body());
        assertThat(props.get("total_slots").asInt()).isEqualTo(3);
        assertThat(props.get("default_generation_settings").get("n_ctx").asInt()).isEqualTo(512);
        JsonNode slots = json(client.get("/slots").body());
        assertThat(slots).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(slots.get(i).get("id").asInt()).isEqualTo(i);
            assertThat(slots.get(i).get("n_ctx").asInt()).isEqualTo(512);
            assertThat(slots.get(i).get("is_processing").asBoolean()).isFalse();
        }
    }

    @Test
    void completionStreamsSseWithoutDone() throws Exception {
        ObjectNode body = obj().put("prompt", "abcdefgh").put("stream", true).put("cache_prompt", true);
        HttpResponse<String> r = client.post("/completion", body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(lines(r.body())).noneMatch(l -> l.contains("[DONE]"));
        List<JsonNode> events = sseEvents(r.body());
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < events.size() - 1; i++) {
            assertThat(events.get(i).get("stop").asBoolean()).isFalse();
            content.append(events.get(i).get("content").asText());
        }
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("stop").asBoolean()).isTrue();
        assertThat(last.get("stop_type").asText()).isEqualTo("eos");
        assertThat(last.get("truncated").asBoolean()).isFalse();
        assertThat(last.get("tokens_predicted").asInt()).isEqualTo(80);
        assertThat(last.get("tokens_evaluated").asInt()).isEqualTo(2);
        assertThat(last.get("timings").get("predicted_n").asInt()).isEqualTo(80);
        assertThat(last.get("timings").has("predicted_ms")).isTrue();
        assertThat(content.toString()).startsWith("[simulated]").hasSize(320);
        assertThat(sim.calls().get(0).api()).isEqualTo(SimApi.LLAMA_CPP);
    }

    @Test
    void completionWithJsonSchemaNonStreaming() throws Exception {
        JsonNode schema = SimClient.guideSchema();
        ObjectNode body = obj().put("prompt", "guide please");
        body.set("json_schema", schema);
        JsonNode r = json(client.post("/completion", body).body());
        assertThat(r.get("stop").asBoolean()).isTrue();
        assertThat(schemaErrors(schema, json(r.get("content").asText()))).isEmpty();

        body.put("stream", true);
        StringBuilder content = new StringBuilder();
        for (JsonNode e : sseEvents(client.post("/completion", body).body())) {
            content.append(e.get("content").asText());
        }
        assertThat(schemaErrors(schema, json(content.toString()))).isEmpty();
    }

    @Test
    void nPredictLimitAndContextLimit() throws Exception {
        JsonNode limited = json(client.post("/completion", obj().put("prompt", "x").put("n_predict", 5)).body());
        assertThat(limited.get("stop_type").asText()).isEqualTo("limit");
        assertThat(limited.get("truncated").asBoolean()).isFalse();
        assertThat(limited.get("tokens_predicted").asInt()).isEqualTo(5);
        assertThat(limited.get("content").asText()).hasSize(20);

        // 500 prompt tokens in a 512 context: the output stops after 12 tokens, marked truncated
        JsonNode full = json(client.post("/completion", obj().put("prompt", "p".repeat(2000))).body());
        assertThat(full.get("stop_type").asText()).isEqualTo("limit");
        assertThat(full.get("truncated").asBoolean()).isTrue();
        assertThat(full.get("tokens_predicted").asInt()).isEqualTo(12);
    }

    @Test
    void promptOverTheContextIs400EvenWhenStreaming() throws Exception {
        for (boolean stream : new boolean[] {false, true}) {
            HttpResponse<String> r = client.post("/completion",
                    obj().put("prompt", "w".repeat(4 * 600)).put("stream", stream));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"error\":{\"code\":400,\"message\":\"request (600 tokens) exceeds the "
                    + "available context size (512 tokens), try increasing it\",\"type\":\"exceed_context_size_error\","
                    + "\"n_prompt_tokens\":600,\"n_ctx\":512}}");
        }
        HttpResponse<String> noPrompt = client.post("/completion", obj().put("n_predict", 3));
        assertThat(noPrompt.statusCode()).isEqualTo(400);
        assertThat(json(noPrompt.body()).get("error").get("code").asInt()).isEqualTo(400);
        assertThat(sim.counters().count(Outcome.CONTEXT_OVERFLOW)).isEqualTo(2);
    }
}
