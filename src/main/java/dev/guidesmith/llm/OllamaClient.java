package dev.guidesmith.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guidesmith.support.Json;

/**
 * Ollama's native API: {@code POST /api/chat} streamed as NDJSON, {@code format} set to the stage's
 * JSON schema for data stages, {@code options.num_predict} for the reply's room and
 * {@code options.num_ctx} when the endpoint's context is configured. Errors arrive as
 * {@code {"error": ...}} with a 4xx/5xx status, or as such a line under HTTP 200 once streaming.
 */
final class OllamaClient implements ModelClient {

    /**
     * Our estimate counts 3 characters a token, real tokenizers about 4: a server that read less
     * than half of our estimate cut the prompt (older Ollama releases do so silently).
     */
    static final double SILENT_TRUNCATION_RATIO = 0.5;
    /** Short prompts are mostly chat framing, where the estimate is loose: judge only longer ones. */
    static final int MIN_TOKENS_TO_JUDGE = 128;

    private final HttpTransport http;

    OllamaClient(HttpTransport http) {
        this.http = http;
    }

    @Override
    public ModelReply call(ChatCall call) throws ModelCallException {
        EndpointSettings endpoint = http.endpoint();
        long started = System.nanoTime();
        StringBuilder text = new StringBuilder();
        boolean generate = OpenAiParams.isCompletion(call);
        try (HttpTransport.Reading reading = http.post(generate ? "/api/generate" : "/api/chat", body(call))) {
            String line;
            while ((line = reading.nextLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode chunk = http.json(line);
                if (chunk.hasNonNull("error")) {
                    throw http.classify(500, chunk.get("error").asText());
                }
                text.append(generate ? chunk.path("response").asText("") : chunk.path("message").path("content").asText(""));
                if (chunk.path("done").asBoolean(false)) {
                    reading.drain();
                    return finish(call, chunk, text.toString(), started);
                }
            }
        }
        throw new ModelCallException(FailureKind.SERVER_ERROR, endpoint.name(), endpoint.name()
                + " closed the stream before its final line (done: true)");
    }

    private ModelReply finish(ChatCall call, JsonNode last, String text, long started) throws ModelCallException {
        EndpointSettings endpoint = http.endpoint();
        int promptTokens = last.path("prompt_eval_count").asInt(call.promptTokens());
        if (!call.asIs() && call.promptTokens() >= MIN_TOKENS_TO_JUDGE && promptTokens > 0
                && promptTokens < call.promptTokens() * SILENT_TRUNCATION_RATIO) {
            throw new ModelCallException(FailureKind.PROMPT_TRUNCATED, endpoint.name(), endpoint.name() + " read only " + promptTokens
                    + " prompt tokens of about " + call.promptTokens() + " sent (prompt_eval_count): it cut the prompt to its"
                    + " context; set llm.endpoint." + endpoint.name() + ".context to the server's num_ctx");
        }
        boolean cut = "length".equals(last.path("done_reason").asText());
        if (cut && !call.asIs()) {
            throw new ModelCallException(FailureKind.TRUNCATED, endpoint.name(), endpoint.name()
                    + " stopped the reply at its length limit of " + call.maxTokens() + " tokens (done_reason: length)");
        }
        int outputTokens = last.path("eval_count").asInt(TokenEstimate.of(text));
        long elapsed = (System.nanoTime() - started) / 1_000_000;
        // Ollama 0.33.3 and later tell how much of the prompt came from the cache
        int cachedTokens = last.path("prompt_eval_cached_count").asInt(0);
        return new ModelReply(text, null, endpoint.name(), http.reportedModel(last), false, promptTokens,
                outputTokens, elapsed, cut ? ModelReply.LENGTH : ModelReply.STOP, cachedTokens);
    }

    private ObjectNode body(ChatCall call) {
        return call.params() != null ? translated(call) : stageBody(call);
    }

    private ObjectNode stageBody(ChatCall call) {
        EndpointSettings endpoint = http.endpoint();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", endpoint.model());
        body.put("stream", true);
        body.put("keep_alive", endpoint.keepAlive());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage message : call.messages()) {
            messages.addObject().put("role", message.role()).put("content", message.content());
        }
        if (call.schema() != null) {
            body.set("format", call.schema());
        }
        ObjectNode options = body.putObject("options");
        options.put("num_predict", call.maxTokens());
        options.put("temperature", call.temperature());
        // always the context the prompt was fitted to: Ollama would otherwise use its own default
        // and silently cut a prompt longer than that
        options.put("num_ctx", call.contextTokens());
        return body;
    }

    /**
     * An OpenAI request in Ollama's words: messages (or a prompt, for /v1/completions), its limit and
     * sampling options, its response format as Ollama's {@code format}, and the endpoint's keep-alive
     * so a long batch never waits for the model to load again.
     */
    private ObjectNode translated(ChatCall call) {
        JsonNode params = call.params();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", http.endpoint().model());
        body.put("stream", true);
        body.put("keep_alive", http.endpoint().keepAlive());
        if (OpenAiParams.isCompletion(call)) {
            body.put("prompt", params.path("prompt").asText(""));
        } else {
            ArrayNode messages = body.putArray("messages");
            for (ChatMessage message : call.messages()) {
                messages.addObject().put("role", message.role()).put("content", message.content());
            }
        }
        JsonNode format = OpenAiParams.responseFormat(params);
        if (format != null) {
            body.set("format", format);
        }
        ObjectNode options = body.putObject("options");
        options.put("num_ctx", call.contextTokens());
        if (call.maxTokens() > 0) {
            options.put("num_predict", call.maxTokens());
        }
        for (String name : new String[] {"temperature", "top_p", "seed", "presence_penalty", "frequency_penalty"}) {
            if (params.hasNonNull(name)) {
                options.set(name, params.get(name));
            }
        }
        JsonNode stop = OpenAiParams.stop(params);
        if (stop != null) {
            options.set("stop", stop);
        }
        return body;
    }


    @Override
    public EndpointProbe probe() {
        EndpointSettings endpoint = http.endpoint();
        try {
            JsonNode tags = http.getJson("/api/tags");
            if (tags == null) {
                return EndpointProbe.failed(FailureKind.BAD_REQUEST, endpoint.name() + " at " + endpoint.url()
                        + " has no /api/tags: is it an Ollama server? (set llm.endpoint." + endpoint.name() + ".api)");
            }
            boolean found = false;
            for (JsonNode model : tags.path("models")) {
                String name = model.path("name").asText();
                if (name.equals(endpoint.model()) || name.equals(endpoint.model() + ":latest")) {
                    found = true;
                }
            }
            if (!found) {
                return EndpointProbe.failed(FailureKind.MODEL_NOT_FOUND, endpoint.name() + " at " + endpoint.url()
                        + " does not have the model '" + endpoint.model() + "': run 'ollama pull " + endpoint.model()
                        + "' there, or set llm.endpoint." + endpoint.name() + ".model to one that 'ollama list' shows");
            }
            return EndpointProbe.healthy(endpoint.name() + " is up with " + endpoint.model(), loadedContext(), 0);
        } catch (ModelCallException e) {
            return EndpointProbe.failed(e.kind(), e.getMessage());
        }
    }

    @Override
    public void close() {
        http.close();
    }

    /** The context of the loaded model per {@code /api/ps}, 0 when it is not loaded or not said. */
    private int loadedContext() throws ModelCallException {
        JsonNode ps = http.getJson("/api/ps");
        if (ps == null) {
            return 0;
        }
        for (JsonNode model : ps.path("models")) {
            String name = model.path("name").asText();
            if (name.equals(http.endpoint().model()) || name.equals(http.endpoint().model() + ":latest")) {
                return model.path("context_length").asInt(0);
            }
        }
        return 0;
    }
}
