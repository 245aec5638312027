package dev.guidesmith.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guidesmith.support.Json;
import java.util.List;
import java.util.OptionalInt;

/**
 * llama.cpp's llama-server, native API. The messages are first turned into the model's own chat
 * format by the server ({@code POST /apply-template}), then completed with {@code POST /completion}
 * ({@code json_schema} for data stages, {@code cache_prompt} so shared prompt prefixes are reused),
 * streamed as server-sent events whose last event has {@code stop: true}. A {@code stop_type} of
 * {@code limit} or {@code truncated: true} means the answer or the prompt was cut: not trusted. A
 * caller's own OpenAI request (a batch's) goes as it is to the server's OpenAI-compatible API.
 */
final class LlamaCppClient implements ModelClient {

    private final HttpTransport http;
    /** llama-server's OpenAI-compatible API, for callers' own OpenAI requests (batches): passed on as they are. */
    private final OpenAiClient openAi;

    LlamaCppClient(HttpTransport http) {
        this.http = http;
        this.openAi = new OpenAiClient(http);
    }

    @Override
    public ModelReply call(ChatCall call) throws ModelCallException {
        if (call.params() != null) {
            return openAi.call(call);
        }
        EndpointSettings endpoint = http.endpoint();
        long started = System.nanoTime();
        StringBuilder text = new StringBuilder();
        try (HttpTransport.Reading reading = http.post("/completion", body(call, prompt(call)))) {
            String line;
            while ((line = reading.nextLine()) != null) {
                String data = ServerSentEvents.data(line);
                if (data == null) {
                    continue;
                }
                JsonNode event = http.json(data);
                if (event.has("error")) {
                    throw http.classify(event.path("error").path("code").asInt(500), event.get("error").toString());
                }
                text.append(event.path("content").asText(""));
                if (event.path("stop").asBoolean(false)) {
                    reading.drain();
                    return finish(call, event, text.toString(), started);
                }
            }
        }
        throw new ModelCallException(FailureKind.SERVER_ERROR, endpoint.name(), endpoint.name()
                + " closed the stream before its last event (stop: true)");
    }

    private ModelReply finish(ChatCall call, JsonNode last, String text, long started) throws ModelCallException {
        EndpointSettings endpoint = http.endpoint();
        if (last.path("truncated").asBoolean(false)) {
            throw new ModelCallException(FailureKind.PROMPT_TRUNCATED, endpoint.name(), endpoint.name()
                    + " truncated the prompt to fit its context (truncated: true); the answer is not trusted");
        }
        if ("limit".equals(last.path("stop_type").asText())) {
            throw new ModelCallException(FailureKind.TRUNCATED, endpoint.name(), endpoint.name()
                    + " stopped the reply at its length limit of " + call.maxTokens() + " tokens (stop_type: limit)");
        }
        int promptTokens = last.path("tokens_evaluated").asInt(call.promptTokens());
        int outputTokens = last.path("tokens_predicted").asInt(TokenEstimate.of(text));
        // prompt tokens taken from the slot's cache (timings.cache_n; tokens_cached counts the whole cached prompt)
        int cachedTokens = last.path("timings").path("cache_n").asInt(0);
        long elapsed = (System.nanoTime() - started) / 1_000_000;
        return new ModelReply(text, null, endpoint.name(), http.reportedModel(last), false, promptTokens,
                outputTokens, elapsed, ModelReply.STOP, cachedTokens);
    }

    /** Exactly, as the server tokenizes the prompt it would complete ({@code POST /tokenize} of the templated prompt). */
    @Override
    public OptionalInt countTokens(List<ChatMessage> messages) throws ModelCallException {
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("content", prompt(messages));
        request.put("add_special", true);
        JsonNode tokens = http.postJson("/tokenize", request);
        return tokens == null || !tokens.path("tokens").isArray() ? OptionalInt.empty() : OptionalInt.of(tokens.get("tokens").size());
    }

    private String prompt(ChatCall call) throws ModelCallException {
        return prompt(call.messages());
    }

    /** The model's own chat format via the server; a plain layout when the server is too old to offer it. */
    private String prompt(List<ChatMessage> chat) throws ModelCallException {
        ObjectNode request = Json.MAPPER.createObjectNode();
        ArrayNode messages = request.putArray("messages");
        for (ChatMessage message : chat) {
            messages.addObject().put("role", message.role()).put("content", message.content());
        }
        JsonNode applied = http.postJson("/apply-template", request);
        if (applied != null && applied.hasNonNull("prompt")) {
            return applied.get("prompt").asText();
        }
        StringBuilder plain = new StringBuilder();
        for (ChatMessage message : chat) {
            plain.append(message.content()).append("\n\n");
        }
        return plain.toString();
    }

    private static ObjectNode body(ChatCall call, String prompt) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("prompt", prompt);
        body.put("n_predict", call.maxTokens());
        body.put("temperature", call.temperature());
        body.put("stream", true);
        body.put("cache_prompt", true);
        if (call.schema() != null) {
            body.set("json_schema", call.schema());
        }
        return body;
    }


    @Override
    public EndpointProbe probe() {
        EndpointSettings endpoint = http.endpoint();
        try {
            JsonNode health = http.getJson("/health");
            if (health == null) {
                return EndpointProbe.failed(FailureKind.BAD_REQUEST, endpoint.name() + " at " + endpoint.url()
                        + " has no /health: is it a llama.cpp server? (set llm.endpoint." + endpoint.name() + ".api)");
            }
            LlamaServerFacts facts = LlamaServerFacts.read(http);
            return EndpointProbe.healthy(endpoint.name() + " is up" + (facts.slots() > 0 ? " with " + facts.slots() + " slots" : ""),
                    facts.contextPerSlot(), facts.slots());
        } catch (ModelCallException e) {
            if (e.kind() == FailureKind.BUSY) {
                return EndpointProbe.failed(FailureKind.BUSY, endpoint.name() + " is still loading its model (/health answers 503)");
            }
            return EndpointProbe.failed(e.kind(), e.getMessage());
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
