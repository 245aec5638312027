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

/**
 * The parameters real clients pass through: accepted, ignored where the simulator cannot simulate them
 * ({@code top_p}, penalties, {@code keep_alive}), honoured where it can ({@code stop}, {@code seed},
 * {@code response_format}), refused only where it cannot answer ({@code n} above 1).
 */
class PassThroughParametersTest {

    /** Every prose reply begins with this heading line, then a blank line. */
    private static final String FIRST_PARAGRAPH = "\\[simulated\\] # [a-z -]+ study guide";
    private static SimulatedModelServer sim;
    private static SimClient client;

    @BeforeAll
    static void start() {
        sim = new SimulatedModelServer(SimSettings.defaults().withName("params-test").withReplyTokens(100)).start();
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

    /** What OpenAI's and vLLM's clients send besides the prompt. */
    private static ObjectNode withSamplingParameters(ObjectNode body) {
        body.put("temperature", 0.2).put("top_p", 0.9).put("presence_penalty", 0.5).put("frequency_penalty", 0.1)
                .put("seed", 7).put("n", 1).put("user", "batch-42").put("max_tokens", 500);
        return body;
    }

    @Test
    void openAiChatAcceptsSamplingParametersAndJsonFormats() throws Exception {
        ObjectNode object = withSamplingParameters(SimClient.userMessages("grade this"));
        object.putArray("stop").add("</answer>");
        object.putObject("response_format").put("type", "json_object");
        HttpResponse<String> r = client.post("/v1/chat/completions", object);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(json(r.body()).get("choices").get(0).get("message").get("content").asText()).isObject())
                .isTrue();

        JsonNode schema = SimClient.guideSchema();
        ObjectNode schemaBody = withSamplingParameters(SimClient.userMessages("grade this")).put("max_tokens", 4000);
        schemaBody.putObject("response_format").put("type", "json_schema").putObject("json_schema")
                .put("name", "grade").put("strict", true).set("schema", schema);
        JsonNode j = json(client.post("/v1/chat/completions", schemaBody).body());
        assertThat(schemaErrors(schema, json(j.get("choices").get(0).get("message").get("content").asText())))
                .isEmpty();
    }

    @Test
    void stopEndsTheReplyBeforeTheStopSequence() throws Exception {
        ObjectNode chat = withSamplingParameters(SimClient.userMessages("explain"));
        chat.putArray("stop").add("\n\n").add("never there");
        JsonNode whole = json(client.post("/v1/chat/completions", chat).body()).get("choices").get(0);
        assertThat(whole.get("message").get("content").asText()).matches(FIRST_PARAGRAPH);
        assertThat(whole.get("finish_reason").asText()).isEqualTo("stop");

        List<JsonNode> events = sseEvents(client.post("/v1/chat/completions", chat.put("stream", true)).body());
        StringBuilder streamed = new StringBuilder();
        events.forEach(e -> streamed.append(e.get("choices").get(0).get("delta").path("content").asText("")));
        assertThat(streamed.toString()).isEqualTo(whole.get("message").get("content").asText());

        // a plain string works too, on the text completions
        JsonNode text = json(client.post("/v1/completions", withSamplingParameters(obj().put("prompt", "explain"))
                .put("stop", "\n\n")).body()).get("choices").get(0);
        assertThat(text.get("text").asText()).matches(FIRST_PARAGRAPH);
        assertThat(text.get("finish_reason").asText()).isEqualTo("stop");

        // llama-server names the word it stopped at
        ObjectNode llama = obj().put("prompt", "explain");
        llama.putArray("stop").add("\n\n");
        JsonNode last = json(client.post("/completion", llama).body());
        assertThat(last.get("content").asText()).matches(FIRST_PARAGRAPH);
        assertThat(last.get("stop_type").asText()).isEqualTo("word");
        assertThat(last.get("stopping_word").asText()).isEqualTo("\n\n");

        assertThat(sim.calls()).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.STOP));
    }

    @Test
    void aLengthLimitBeforeTheStopSequenceStillEndsWithLength() throws Exception {
        ObjectNode chat = SimClient.userMessages("explain").put("max_tokens", 3);
        chat.putArray("stop").add("\n\n");
        JsonNode choice = json(client.post("/v1/chat/completions", chat).body()).get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
        assertThat(choice.get("message").get("content").asText()).hasSize(12);
    }

    @Test
    void seedDecidesTheReply() throws Exception {
        String one = content(withSamplingParameters(SimClient.userMessages("same")).put("seed", 1));
        String oneAgain = content(withSamplingParameters(SimClient.userMessages("same")).put("seed", 1));
        String two = content(withSamplingParameters(SimClient.userMessages("same")).put("seed", 2));
        assertThat(oneAgain).isEqualTo(one);
        assertThat(two).isNotEqualTo(one);
    }

    @Test
    void moreThanOneChoiceIsRefused() throws Exception {
        for (String path : new String[] {"/v1/chat/completions", "/v1/completions"}) {
            ObjectNode body = SimClient.userMessages("hi").put("prompt", "hi").put("n", 2);
            HttpResponse<String> r = client.post(path, body);
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            assertThat(json(r.body()).get("error").get("message").asText()).contains("n must be 1");
        }
        assertThat(sim.counters().count(Outcome.BAD_REQUEST)).isEqualTo(2);
    }

    @Test
    void ollamaAcceptsKeepAliveAndOptions() throws Exception {
        ObjectNode body = SimClient.userMessages("explain").put("model", "sim-model").put("keep_alive", "30m");
        body.putObject("options").put("seed", 3).put("top_p", 0.8).put("temperature", 0).put("num_predict", 300)
                .putArray("stop").add("\n\n");
        List<String> streamed = lines(client.post("/api/chat", body).body());
        StringBuilder content = new StringBuilder();
        streamed.forEach(l -> content.append(json(l).get("message").get("content").asText()));
        assertThat(content.toString()).matches(FIRST_PARAGRAPH);
        JsonNode last = json(streamed.get(streamed.size() - 1));
        assertThat(last.get("done_reason").asText()).isEqualTo("stop");

        ObjectNode generate = obj().put("model", "sim-model").put("prompt", "explain").put("stream", false)
                .put("keep_alive", -1);
        generate.putObject("options").put("top_p", 0.5);
        HttpResponse<String> r = client.post("/api/generate", generate);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r.body()).get("response").asText()).startsWith("[simulated]").hasSize(400);
    }

    private static String content(ObjectNode chat) throws Exception {
        return json(client.post("/v1/chat/completions", chat).body()).get("choices").get(0).get("message")
                .get("content").asText();
    }
}
