package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.guidesmith.sim.SimClient.json;
import static dev.guidesmith.sim.SimClient.obj;
import static dev.guidesmith.sim.SimClient.sseEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The per-slot prompt cache: what each API reports for a prompt that shares a long prefix with the slot's previous
 * one, when nothing is reused, which free slot a request takes, and that only uncached prompt tokens take time.
 */
class PromptCacheTest {

    /** 8,000 characters: 2,000 tokens every request of a batch starts with. */
    private static final String RUBRIC = rubric(8000);
    /** The two questions differ from their first character, so the common prefix is exactly the rubric. */
    private static final String FIRST = "Alpha: how do two pointers meet in the middle?";
    private static final String SECOND = "Beta: when does a sliding window shrink?";
    private static final int RUBRIC_TOKENS = 2000;

    private SimulatedModelServer sim;

    @AfterEach
    void close() {
        if (sim != null) {
            sim.close();
        }
    }

    private SimClient start(SimSettings settings) {
        if (sim != null) {
            sim.close();
        }
        sim = new SimulatedModelServer(settings).start();
        return new SimClient(sim.baseUri());
    }

    private static SimSettings oneSlot() {
        return SimSettings.defaults().withReplyTokens(20).withContextTokens(8192);
    }

    private static int tokens(String... parts) {
        return SimSettings.tokensOf(String.join("", parts).length());
    }

    @Test
    void openAiChatReportsCachedTokensInUsage() throws Exception {
        SimClient c = start(oneSlot());
        JsonNode first = json(c.post("/v1/chat/completions", chat(RUBRIC, FIRST)).body()).get("usage");
        assertThat(first.get("prompt_tokens").asInt()).isEqualTo(tokens(RUBRIC, FIRST));
        assertThat(first.get("prompt_tokens_details").get("cached_tokens").asInt()).isZero();

        JsonNode second = json(c.post("/v1/chat/completions", chat(RUBRIC, SECOND)).body()).get("usage");
        assertThat(second.get("prompt_tokens").asInt()).as("the whole prompt").isEqualTo(tokens(RUBRIC, SECOND));
        assertThat(second.get("prompt_tokens_details").get("cached_tokens").asInt()).isEqualTo(RUBRIC_TOKENS);

        // streamed, the usage chunk says the same
        ObjectNode streamed = chat(RUBRIC, FIRST).put("stream", true);
        streamed.putObject("stream_options").put("include_usage", true);
        List<JsonNode> events = sseEvents(c.post("/v1/chat/completions", streamed).body());
        JsonNode usage = events.get(events.size() - 1).get("usage");
        assertThat(usage.get("prompt_tokens_details").get("cached_tokens").asInt()).isEqualTo(RUBRIC_TOKENS);

        assertThat(sim.calls()).extracting(CallRecord::cachedTokens).containsExactly(0, RUBRIC_TOKENS, RUBRIC_TOKENS);
        SimStats stats = sim.stats();
        assertThat(stats.cachedTokens()).isEqualTo(2L * RUBRIC_TOKENS);
        assertThat(stats.cachedShare()).isCloseTo(2.0 * RUBRIC_TOKENS / stats.promptTokens(), within(1e-12))
                .isGreaterThan(0.6);
    }

    @Test
    void openAiTextCompletionsReportCachedTokensInUsage() throws Exception {
        SimClient c = start(oneSlot());
        c.post("/v1/completions", obj().put("prompt", RUBRIC + FIRST).put("max_tokens", 20));
        JsonNode usage = json(c.post("/v1/completions", obj().put("prompt", RUBRIC + SECOND).put("max_tokens", 20))
                .body()).get("usage");
        assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(tokens(RUBRIC, SECOND));
        assertThat(usage.get("prompt_tokens_details").get("cached_tokens").asInt()).isEqualTo(RUBRIC_TOKENS);
    }

    @Test
    void llamaCppReportsCacheNAndPromptNInTimings() throws Exception {
        SimClient c = start(oneSlot());
        JsonNode first = json(c.post("/completion", obj().put("prompt", RUBRIC + FIRST)).body());
        assertThat(first.get("timings").get("cache_n").asInt()).isZero();
        assertThat(first.get("timings").get("prompt_n").asInt()).isEqualTo(tokens(RUBRIC, FIRST));

        // streamed: the last event carries the figures
        List<JsonNode> events = sseEvents(c.post("/completion",
                obj().put("prompt", RUBRIC + SECOND).put("stream", true)).body());
        JsonNode last = events.get(events.size() - 1);
        int prompt = tokens(RUBRIC, SECOND);
        assertThat(last.get("stop").asBoolean()).isTrue();
        assertThat(last.get("tokens_evaluated").asInt()).as("the whole prompt").isEqualTo(prompt);
        assertThat(last.get("timings").get("cache_n").asInt()).isEqualTo(RUBRIC_TOKENS);
        assertThat(last.get("timings").get("prompt_n").asInt()).isEqualTo(prompt - RUBRIC_TOKENS);
        // what the slot holds afterwards: prompt and reply, less the reply's last token (as llama-server counts it)
        assertThat(last.get("tokens_cached").asInt()).isEqualTo(prompt + 20 - 1);
    }

    @Test
    void ollamaCountsTheWholePromptAndReportsTheCachedPart() throws Exception {
        SimClient c = start(oneSlot());
        c.post("/api/chat", ollamaChat(RUBRIC, FIRST));
        JsonNode second = json(c.post("/api/chat", ollamaChat(RUBRIC, SECOND)).body());
        assertThat(second.get("prompt_eval_count").asInt()).as("Ollama >= 0.2: the whole prompt")
                .isEqualTo(tokens(RUBRIC, SECOND));
        assertThat(second.get("prompt_eval_cached_count").asInt()).isEqualTo(RUBRIC_TOKENS);

        JsonNode generated = json(c.post("/api/generate", obj().put("model", "sim-model")
                .put("prompt", RUBRIC + FIRST).put("stream", false)).body());
        assertThat(generated.get("prompt_eval_count").asInt()).isEqualTo(tokens(RUBRIC, FIRST));
        assertThat(generated.get("prompt_eval_cached_count").asInt()).isEqualTo(RUBRIC_TOKENS);
    }

    @Test
    void aRepeatedPromptIsCachedButForItsLastToken() throws Exception {
        SimClient c = start(oneSlot());
        c.post("/completion", obj().put("prompt", RUBRIC));
        JsonNode again = json(c.post("/completion", obj().put("prompt", RUBRIC)).body());
        assertThat(again.get("timings").get("cache_n").asInt()).isEqualTo(RUBRIC_TOKENS - 1);
        assertThat(again.get("timings").get("prompt_n").asInt()).isEqualTo(1);
    }

    @Test
    void theNextTurnOfAConversationFindsItsHistoryCached() throws Exception {
        SimClient c = start(oneSlot());
        JsonNode reply = json(c.post("/v1/chat/completions", chat(RUBRIC, FIRST)).body());
        String answer = reply.get("choices").get(0).get("message").get("content").asText();
        ObjectNode next = chat(RUBRIC, FIRST);
        ArrayNode messages = (ArrayNode) next.get("messages");
        messages.addObject().put("role", "assistant").put("content", answer);
        messages.addObject().put("role", "user").put("content", SECOND);
        JsonNode usage = json(c.post("/v1/chat/completions", next).body()).get("usage");
        assertThat(usage.get("prompt_tokens_details").get("cached_tokens").asInt())
                .as("the slot kept the first prompt and its reply")
                .isEqualTo((RUBRIC + FIRST + answer).length() / SimSettings.CHARS_PER_TOKEN);
    }

    @Test
    void cachePromptFalseOrTheSettingOffReusesNothing() throws Exception {
        SimClient c = start(oneSlot());
        c.post("/completion", obj().put("prompt", RUBRIC + FIRST));
        JsonNode uncached = json(c.post("/completion", obj().put("prompt", RUBRIC + SECOND)
                .put("cache_prompt", false)).body());
        assertThat(uncached.get("timings").get("cache_n").asInt()).isZero();
        assertThat(uncached.get("timings").get("prompt_n").asInt()).isEqualTo(tokens(RUBRIC, SECOND));
        // llama-server's /v1 endpoints read cache_prompt too
        JsonNode chat = json(c.post("/v1/chat/completions", chat(RUBRIC, FIRST).put("cache_prompt", false))
                .body());
        assertThat(chat.get("usage").get("prompt_tokens_details").get("cached_tokens").asInt()).isZero();

        c = start(oneSlot().withPromptCache(false));
        for (int i = 0; i < 2; i++) {
            c.post("/completion", obj().put("prompt", RUBRIC + FIRST));
            c.post("/v1/chat/completions", chat(RUBRIC, FIRST));
            c.post("/api/chat", ollamaChat(RUBRIC, FIRST));
        }
        assertThat(sim.calls()).hasSize(6).allSatisfy(r -> assertThat(r.cachedTokens()).isZero());
        assertThat(sim.stats().cachedShare()).isZero();
    }

    @Test
    void aFreeSlotHoldingThePromptIsPreferred() throws Exception {
        // two prompt families, one after the other in an uneven order (so "least recently used" would mix them up);
        // both slots are free each time, and each family goes back to "its" slot
        SimClient c = start(oneSlot().withSlots(2));
        String other = rubric(6000).toUpperCase();
        String order = "ABBAABAB";
        for (int i = 0; i < order.length(); i++) {
            String rubric = order.charAt(i) == 'A' ? RUBRIC : other;
            c.post("/completion", obj().put("prompt", rubric + "Q" + i));
        }
        List<CallRecord> calls = sim.calls();
        assertThat(calls).hasSize(order.length());
        int slotA = calls.get(0).slot();
        int slotB = calls.get(1).slot();
        assertThat(slotB).as("nothing similar: the least recently used slot").isNotEqualTo(slotA);
        for (int i = 2; i < order.length(); i++) {
            boolean a = order.charAt(i) == 'A';
            assertThat(calls.get(i).slot()).as("request %d", i).isEqualTo(a ? slotA : slotB);
            assertThat(calls.get(i).cachedTokens()).as("request %d", i).isEqualTo(a ? RUBRIC_TOKENS : 1500);
        }
    }

    @Test
    void onlyUncachedPromptTokensTakeTime() throws Exception {
        // 0.2 ms a prompt token: the first request reads 2,012 tokens, the second only its 10 new ones
        Duration perToken = Duration.ofNanos(200_000);
        SimClient c = start(oneSlot().withPromptTokenLatency(perToken));
        c.post("/completion", obj().put("prompt", RUBRIC + FIRST));
        c.post("/completion", obj().put("prompt", RUBRIC + SECOND));
        List<CallRecord> calls = sim.calls();
        assertThat(calls.get(0).uncachedPromptTokens()).isEqualTo(tokens(RUBRIC, FIRST));
        assertThat(calls.get(1).uncachedPromptTokens()).isEqualTo(tokens(RUBRIC, SECOND) - RUBRIC_TOKENS);
        double expected = (calls.get(0).uncachedPromptTokens() + calls.get(1).uncachedPromptTokens())
                * perToken.toNanos() / 1e9;
        assertThat(sim.stats().promptWorkSeconds()).isCloseTo(expected, within(1e-9));
        // a lower bound only: the server waited at least the uncached prompt's time
        assertThat(calls.get(0).processingNanos())
                .isGreaterThanOrEqualTo(calls.get(0).uncachedPromptTokens() * perToken.toNanos());

        // with the cache off, both pay for the whole prompt
        c = start(oneSlot().withPromptTokenLatency(perToken).withPromptCache(false));
        c.post("/completion", obj().put("prompt", RUBRIC + FIRST));
        c.post("/completion", obj().put("prompt", RUBRIC + SECOND));
        assertThat(sim.stats().promptWorkSeconds())
                .isCloseTo((tokens(RUBRIC, FIRST) + tokens(RUBRIC, SECOND)) * perToken.toNanos() / 1e9,
                        within(1e-9));
        assertThat(TimeUnit.NANOSECONDS.toMillis(sim.calls().get(1).processingNanos()))
                .isGreaterThanOrEqualTo(400);
    }

    @Test
    void aRestartForgetsTheCache() throws Exception {
        SimClient c = start(oneSlot());
        c.post("/completion", obj().put("prompt", RUBRIC + FIRST));
        sim.stop();
        sim.start();
        c = new SimClient(sim.baseUri());
        JsonNode after = json(c.post("/completion", obj().put("prompt", RUBRIC + SECOND)).body());
        assertThat(after.get("timings").get("cache_n").asInt()).isZero();
    }

    private static ObjectNode chat(String system, String user) {
        ObjectNode body = obj();
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        return body;
    }

    private static ObjectNode ollamaChat(String system, String user) {
        return chat(system, user).put("model", "sim-model").put("stream", false);
    }

    /** Sentences of exactly {@code chars} characters, the same for the same length. */
    private static String rubric(int chars) {
        StringBuilder sb = new StringBuilder(chars + 80);
        int n = 0;
        while (sb.length() < chars) {
            sb.append("Rule ").append(++n).append(": grade the answer on correctness, clarity and complexity. ");
        }
        sb.setLength(chars);
        return sb.toString();
    }
}
