package dev.guidesmith.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guidesmith.support.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI-compatible chat completions ({@code POST /v1/chat/completions}): vLLM, llama-server,
 * LM Studio, Ollama's {@code /v1}, hosted services. Streams server-sent events with
 * {@code stream_options.include_usage} for token counts; data stages send
 * {@code response_format: {"type": "json_schema", ...}}. A {@code finish_reason} of
 * {@code length} means a cut-off answer, which is not trusted (unless the caller takes replies as
 * they are). A caller's own OpenAI request (a batch's) goes as written, to {@code /chat/completions}
 * or, with a {@code prompt}, to {@code /completions}.
 */
final class OpenAiClient implements ModelClient {

    private final HttpTransport http;
    private final String base;

    OpenAiClient(HttpTransport http) {
        this.http = http;
        // accept both http://host:8000 and http://host:8000/v1 as the endpoint's url
        this.base = http.endpoint().url().getPath().endsWith("/v1") ? "" : "/v1";
    }

    @Override
    public ModelReply call(ChatCall call) throws ModelCallException {
        EndpointSettings endpoint = http.endpoint();
        long started = System.nanoTime();
        StringBuilder text = new StringBuilder();
        String finish = null;
        String model = endpoint.model();
        JsonNode usage = null;
        boolean completion = OpenAiParams.isCompletion(call);
        try (HttpTransport.Reading reading = http.post(base + (completion ? "/completions" : "/chat/completions"), body(call))) {
            String line;
            while ((line = reading.nextLine()) != null) {
                String data = ServerSentEvents.data(line);
                if (data == null) {
                    continue;
                }
                if (data.equals("[DONE]")) {
                    reading.drain();
                    break;
                }
                JsonNode chunk = http.json(data);
                if (chunk.has("error")) {
                    throw http.classify(500, chunk.get("error").toString());
                }
                model = http.reportedModel(chunk);
                JsonNode choice = chunk.path("choices").path(0);
                text.append(completion ? choice.path("text").asText("") : choice.path("delta").path("content").asText(""));
                if (choice.hasNonNull("finish_reason")) {
                    finish = choice.get("finish_reason").asText();
                }
                if (chunk.hasNonNull("usage")) {
                    usage = chunk.get("usage");
                }
            }
        }
        if (finish == null) {
            throw new ModelCallException(FailureKind.SERVER_ERROR, endpoint.name(), endpoint.name()
                    + " ended the stream without a finish_reason: the reply may be incomplete");
        }
        if ("length".equals(finish) && !call.asIs()) {
            throw new ModelCallException(FailureKind.TRUNCATED, endpoint.name(), endpoint.name()
                    + " stopped the reply at its length limit of " + call.maxTokens() + " tokens (finish_reason: length)");
        }
        int promptTokens = usage == null ? call.promptTokens() : usage.path("prompt_tokens").asInt(call.promptTokens());
        int outputTokens = usage == null ? TokenEstimate.of(text.toString())
                : usage.path("completion_tokens").asInt(TokenEstimate.of(text.toString()));
        int cachedTokens = usage == null ? 0 : usage.path("prompt_tokens_details").path("cached_tokens").asInt(0);
        long elapsed = (System.nanoTime() - started) / 1_000_000;
        return new ModelReply(text.toString(), null, endpoint.name(), model, false, promptTokens, outputTokens,
                elapsed, finish, cachedTokens);
    }

    private ObjectNode body(ChatCall call) {
        return call.params() != null ? passedOn(call) : stageBody(call);
    }

    /**
     * The caller's own OpenAI request, as written, for the endpoint's model (the caller may have
     * used an alias), streamed with its usage.
     */
    private ObjectNode passedOn(ChatCall call) {
        ObjectNode body = call.params().deepCopy();
        body.put("model", http.endpoint().model());
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        return body;
    }

    private ObjectNode stageBody(ChatCall call) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", http.endpoint().model());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage message : call.messages()) {
            messages.addObject().put("role", message.role()).put("content", message.content());
        }
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        body.put("max_tokens", call.maxTokens());
        body.put("temperature", call.temperature());
        if (call.schema() != null) {
            ObjectNode format = body.putObject("response_format");
            format.put("type", "json_schema");
            ObjectNode schema = format.putObject("json_schema");
            schema.put("name", "stage_reply");
            schema.set("schema", call.schema());
        }
        return body;
    }


    @Override
    public EndpointProbe probe() {
        EndpointSettings endpoint = http.endpoint();
        try {
            JsonNode models = http.getJson(base + "/models");
            if (models == null) {
                return EndpointProbe.failed(FailureKind.BAD_REQUEST, endpoint.name() + " at " + endpoint.url()
                        + " has no " + base + "/models: is it an OpenAI-compatible server? (set llm.endpoint." + endpoint.name()
                        + ".url to its base address, e.g. http://host:8000)");
            }
            List<String> ids = new ArrayList<>();
            boolean llamaCpp = false;
            int context = 0;
            for (JsonNode model : models.path("data")) {
                String id = model.path("id").asText();
                ids.add(id);
                llamaCpp |= "llamacpp".equals(model.path("owned_by").asText());
                if (id.equals(endpoint.model())) {
                    context = model.path("max_model_len").asInt(0); // vLLM says it here
                }
            }
            LlamaServerFacts facts = LlamaServerFacts.read(http);
            EndpointProbe healthy = EndpointProbe.healthy(endpoint.name() + " is up with " + endpoint.model(),
                    facts.contextPerSlot() > 0 ? facts.contextPerSlot() : context, facts.slots());
            if (ids.isEmpty() || ids.contains(endpoint.model())) {
                return healthy;
            }
            if (llamaCpp) {
                // llama-server runs one model and answers to any name; it lists the model by its file
                return healthy.servedAs(ids.get(0));
            }
            String answered = answersTo(endpoint.model());
            if (answered != null) {
                return healthy.servedAs(answered);
            }
            return EndpointProbe.failed(FailureKind.MODEL_NOT_FOUND, endpoint.name() + " at " + endpoint.url()
                    + " does not serve '" + endpoint.model() + "'; it serves " + ids + ": set llm.endpoint."
                    + endpoint.name() + ".model to one of them");
        } catch (ModelCallException e) {
            return EndpointProbe.failed(e.kind(), e.getMessage());
        }
    }

    @Override
    public void close() {
        http.close();
    }

    /**
     * A name the server does not list may still be served (an alias, a single-model server): a
     * one-token request tells.
     *
     * @return the model the server says answered, or null when it refused the name
     */
    private String answersTo(String model) throws ModelCallException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", "Hi");
        body.put("max_tokens", 1);
        try {
            JsonNode reply = http.postJson(base + "/chat/completions", body);
            return reply == null ? null : reply.path("model").asText(model);
        } catch (ModelCallException e) {
            if (e.kind() == FailureKind.MODEL_NOT_FOUND || e.kind() == FailureKind.BAD_REQUEST) {
                return null;
            }
            throw e;
        }
    }
}
