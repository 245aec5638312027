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

/** The legacy {@code POST /v1/completions}: a prompt string in, {@code text_completion} objects out. */
class OpenAiCompletionsApiTest {

    private static final String PATH = "/v1/completions";
    private static SimulatedModelServer sim;
    private static SimClient client;

    @BeforeAll
    static void start() {
        sim = new SimulatedModelServer(SimSettings.defaults().withName("completions-test").withModels("sim-a", "sim-b")
                .withReplyTokens(100).withContextTokens(1024)).start();
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

    private static ObjectNode completion(String prompt) {
        return obj().put("model", "sim-b").put("prompt", prompt).put("max_tokens", 200);
    }

    @Test
    void nonStreamedIsOneTextCompletionWithUsage() throws Exception {
        HttpResponse<String> r = client.post(PATH, completion("1234567890").put("temperature", 0.2));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = json(r.body());
        assertThat(j.get("object").asText()).isEqualTo("text_completion");
        assertThat(j.get("id").asText()).startsWith("cmpl-");
        assertThat(j.get("model").asText()).isEqualTo("sim-b");
        assertThat(j.get("created").asLong()).isPositive();
        JsonNode choice = j.get("choices").get(0);
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("text").asText()).startsWith("[simulated]").hasSize(400);
        assertThat(choice.get("logprobs").isNull()).isTrue();
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = j.get("usage");
        assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(3);
        assertThat(usage.get("completion_tokens").asInt()).isEqualTo(100);
        assertThat(usage.get("total_tokens").asInt()).isEqualTo(103);
        assertThat(usage.get("prompt_tokens_details").get("cached_tokens").asInt()).isZero();

        CallRecord call = sim.calls().get(0);
        assertThat(call.api()).isEqualTo(SimApi.OPENAI);
        assertThat(call.endpoint()).isEqualTo(PATH);
        assertThat(call.outcome()).isEqualTo(Outcome.STOP);
        assertThat(sim.counters().completed()).isEqualTo(1);
    }

    @Test
    void streamedAsTextCompletionChunksEndingInDone() throws Exception {
        ObjectNode body = completion("1234567890").put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        HttpResponse<String> r = client.post(PATH, body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<String> raw = lines(r.body());
        assertThat(raw.get(raw.size() - 1)).isEqualTo("data: [DONE]");
        List<JsonNode> events = sseEvents(r.body());
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < events.size() - 2; i++) {
            JsonNode e = events.get(i);
            assertThat(e.get("object").asText()).isEqualTo("text_completion");
            assertThat(e.get("id").asText()).isEqualTo(events.get(0).get("id").asText());
            JsonNode choice = e.get("choices").get(0);
            assertThat(choice.get("finish_reason").isNull()).isTrue();
            assertThat(choice.get("logprobs").isNull()).isTrue();
            assertThat(e.get("usage").isNull()).as("include_usage: null until the usage chunk").isTrue();
            text.append(choice.get("text").asText());
        }
        assertThat(text.toString()).startsWith("[simulated]").hasSize(400);
        JsonNode last = events.get(events.size() - 2).get("choices").get(0);
        assertThat(last.get("text").asText()).isEmpty();
        assertThat(last.get("finish_reason").asText()).isEqualTo("stop");
        JsonNode usageChunk = events.get(events.size() - 1);
        assertThat(usageChunk.get("choices")).isEmpty();
        assertThat(usageChunk.get("usage").get("completion_tokens").asInt()).isEqualTo(100);

        // without include_usage there is no usage at all
        List<JsonNode> plain = sseEvents(client.post(PATH, completion("1234567890").put("stream", true)).body());
        assertThat(plain).noneMatch(e -> e.has("usage"));
        assertThat(plain.get(plain.size() - 1).get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void maxTokensCutsWithFinishReasonLength() throws Exception {
        JsonNode j = json(client.post(PATH, completion("hi").put("max_tokens", 7)).body());
        assertThat(j.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(j.get("choices").get(0).get("text").asText()).hasSize(28);
        assertThat(j.get("usage").get("completion_tokens").asInt()).isEqualTo(7);

        List<JsonNode> events = sseEvents(client.post(PATH, completion("hi").put("max_tokens", 7).put("stream", true))
                .body());
        StringBuilder text = new StringBuilder();
        events.forEach(e -> text.append(e.get("choices").get(0).get("text").asText()));
        assertThat(text).hasSize(28);
        assertThat(events.get(events.size() - 1).get("choices").get(0).get("finish_reason").asText())
                .isEqualTo("length");
        assertThat(sim.counters().count(Outcome.LENGTH)).isEqualTo(2);
    }

    @Test
    void withoutMaxTokensVllmStopsAfter16TokensAndLlamaServerDoesNot() throws Exception {
        JsonNode vllm = json(client.post(PATH, obj().put("prompt", "hi")).body());
        assertThat(vllm.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(vllm.get("usage").get("completion_tokens").asInt()).isEqualTo(16);

        try (SimulatedModelServer llama = new SimulatedModelServer(SimSettings.defaults().withAnyModelName(true)
                .withReplyTokens(100)).start()) {
            JsonNode j = json(new SimClient(llama.baseUri()).post(PATH, obj().put("model", "whatever")
                    .put("prompt", "hi")).body());
            assertThat(j.get("model").asText()).isEqualTo("/models/sim-model.gguf");
            assertThat(j.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
            assertThat(j.get("usage").get("completion_tokens").asInt()).isEqualTo(100);
        }
    }

    @Test
    void jsonResponseFormatsGiveJson() throws Exception {
        JsonNode schema = SimClient.guideSchema();
        ObjectNode body = completion("Write a guide.").put("max_tokens", 4000);
        body.putObject("response_format").put("type", "json_schema").putObject("json_schema").put("name", "guide")
                .set("schema", schema);
        JsonNode j = json(client.post(PATH, body).body());
        assertThat(schemaErrors(schema, json(j.get("choices").get(0).get("text").asText()))).isEmpty();

        ObjectNode object = completion("anything");
        object.putObject("response_format").put("type", "json_object");
        JsonNode o = json(client.post(PATH, object).body());
        assertThat(json(o.get("choices").get(0).get("text").asText()).isObject()).isTrue();
    }

    @Test
    void modelRulesAndBadRequests() throws Exception {
        HttpResponse<String> unknown = client.post(PATH, completion("hi").put("model", "gpt-9"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown.body()).get("error").get("code").asText()).isEqualTo("model_not_found");

        JsonNode noModel = json(client.post(PATH, obj().put("prompt", "hi")).body());
        assertThat(noModel.get("model").asText()).as("no model: the first one").isEqualTo("sim-a");

        HttpResponse<String> noPrompt = client.post(PATH, obj().put("model", "sim-a"));
        assertThat(noPrompt.statusCode()).isEqualTo(400);
        assertThat(json(noPrompt.body()).get("error").get("type").asText()).isEqualTo("invalid_request_error");
        ObjectNode two = obj();
        two.putArray("prompt").add("a").add("b");
        assertThat(client.post(PATH, two).statusCode()).isEqualTo(400);
        ObjectNode one = obj();
        one.putArray("prompt").add("a");
        assertThat(client.post(PATH, one).statusCode()).as("a batch of one prompt").isEqualTo(200);

        HttpResponse<String> tooLong = client.post(PATH, completion("z".repeat(4 * 1100)));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json(tooLong.body()).get("error").get("type").asText()).isEqualTo("exceed_context_size_error");
        assertThat(sim.counters().count(Outcome.CONTEXT_OVERFLOW)).isEqualTo(1);
    }

    @Test
    void faultsApplyAsOnTheOtherEndpoints() throws Exception {
        sim.setFaults(SimFaults.none().withErrorRate(1.0));
        HttpResponse<String> r = client.post(PATH, completion("hi"));
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(json(r.body()).get("error").get("type").asText()).isEqualTo("server_error");
        sim.setFaults(SimFaults.none().withBusyRate(1.0));
        assertThat(client.post(PATH, completion("hi").put("stream", true)).statusCode()).isEqualTo(503);
        assertThat(sim.counters().count(Outcome.ERROR)).isEqualTo(1);
        assertThat(sim.counters().count(Outcome.BUSY)).isEqualTo(1);
        assertThat(sim.calls()).allSatisfy(c -> assertThat(c.endpoint()).isEqualTo(PATH));
    }
}
