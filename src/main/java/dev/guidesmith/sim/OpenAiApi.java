package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The OpenAI-compatible API: {@code POST /v1/chat/completions} (SSE streaming ending in {@code data: [DONE]}, or one
 * JSON body) and {@code GET /v1/models}. Errors are {@code {"error":{"message","type","code"}}}; a prompt over the
 * context gets llama-server's {@code exceed_context_size_error} body.
 *
 * <p>The prompt cache is on unless llama-server's {@code cache_prompt: false} is sent; {@code usage.prompt_tokens} is
 * the whole prompt and {@code usage.prompt_tokens_details.cached_tokens} the part reused from the slot, as
 * llama-server and vLLM (with prefix caching) report them.
 */
final class OpenAiApi extends ApiHandler {

    private static final String CHAT = "/v1/chat/completions";
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    OpenAiApi(SimulatedModelServer server) {
        super(server);
    }

    @Override
    SimApi api() {
        return SimApi.OPENAI;
    }

    @Override
    void register(ServerRun run) {
        GenerationEngine engine = server.engine();
        run.route(CHAT, ex -> engine.handle(ex, this, CHAT, run));
        run.route("/v1/models", ex -> HttpIo.sendJson(ex, 200, json(models())));
    }

    @Override
    GenerationRequest parse(String endpoint, JsonNode body) {
        SimSettings settings = server.settings();
        String model = settings.anyModelName() ? settings.modelPath() : settings.models().get(0);
        JsonNode modelNode = body.get("model");
        if (modelNode != null && modelNode.isTextual() && !modelNode.asText().isEmpty()) {
            model = settings.resolveModel(modelNode.asText());
            if (model == null) {
                ObjectNode err = object();
                err.putObject("error")
                        .put("message", "The model `" + modelNode.asText() + "` does not exist.")
                        .put("type", "invalid_request_error")
                        .put("param", "model")
                        .put("code", "model_not_found");
                throw new ApiException(404, Outcome.UNKNOWN_MODEL, json(err));
            }
        }
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray()) {
            throw badRequest("'messages' is required and must be an array");
        }
        PromptMeasure prompt = new PromptMeasure().key(model).messages(messages);
        JsonNode schema = null;
        boolean json = false;
        JsonNode format = body.get("response_format");
        if (format != null && format.isObject()) {
            String type = format.path("type").asText("text");
            switch (type) {
                case "json_schema" -> {
                    JsonNode js = format.path("json_schema");
                    schema = js.has("schema") ? js.get("schema") : format.get("schema");
                    if (schema == null || !schema.isObject()) {
                        throw badRequest("response_format.json_schema.schema must be a JSON schema object");
                    }
                    json = true;
                }
                case "json_object" -> {
                    json = true;
                    if (format.path("schema").isObject()) { // llama-server's extension
                        schema = format.get("schema");
                    }
                }
                case "text" -> {
                }
                default -> throw badRequest("response_format.type must be text, json_object or json_schema");
            }
            prompt.key(format.toString());
        }
        if (body.has("seed")) {
            prompt.key("seed:" + body.get("seed").asText());
        }
        int maxTokens = intOr(body.get("max_completion_tokens"), intOr(body.get("max_tokens"), -1));
        boolean stream = body.path("stream").asBoolean(false);
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        return new GenerationRequest(SimApi.OPENAI, endpoint, model, prompt.tokens(), prompt.promptText(),
                prompt.hash(), schema, json, maxTokens < 0 ? -1 : maxTokens, settings.contextTokens(), stream,
                includeUsage, LlamaCppApi.cachePrompt(body));
    }

    @Override
    ApiException badRequest(String message) {
        return error(400, Outcome.BAD_REQUEST, message, "invalid_request_error");
    }

    @Override
    ApiException failure(Outcome kind) {
        return switch (kind) {
            case BUSY -> error(503, Outcome.BUSY, OllamaApi.BUSY, "unavailable_error");
            case LOADING -> error(503, Outcome.LOADING, "Loading model", "unavailable_error");
            default -> error(500, Outcome.ERROR, "[simulated] injected failure", "server_error");
        };
    }

    @Override
    ApiException contextOverflow(GenerationRequest request) {
        return LlamaCppApi.exceedContext(request);
    }

    @Override
    String streamContentType() {
        return "text/event-stream";
    }

    @Override
    byte[] streamHead(SimCall call) {
        ObjectNode chunk = chunk(call);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta").put("role", "assistant").put("content", "");
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        usageNull(call, chunk);
        return sse(chunk);
    }

    @Override
    byte[] streamPiece(SimCall call, String piece) {
        ObjectNode chunk = chunk(call);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta").put("content", piece);
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        usageNull(call, chunk);
        return sse(chunk);
    }

    @Override
    byte[] streamTail(SimCall call) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        ObjectNode chunk = chunk(call);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(call));
        usageNull(call, chunk);
        out.writeBytes(sse(chunk));
        if (call.request.includeUsage()) {
            ObjectNode usage = chunk(call);
            usage.putArray("choices");
            usage.set("usage", usage(call));
            out.writeBytes(sse(usage));
        }
        out.writeBytes(DONE);
        return out.toByteArray();
    }

    @Override
    byte[] whole(SimCall call) {
        ObjectNode n = object();
        n.put("id", "chatcmpl-" + call.id);
        n.put("object", "chat.completion");
        n.put("created", call.created.getEpochSecond());
        n.put("model", call.model());
        n.put("system_fingerprint", "simulated");
        ObjectNode choice = n.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", call.text);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(call));
        n.set("usage", usage(call));
        return bytes(n);
    }

    private static String finishReason(SimCall call) {
        return call.finish == Outcome.LENGTH ? "length" : "stop";
    }

    private static ObjectNode chunk(SimCall call) {
        ObjectNode n = object();
        n.put("id", "chatcmpl-" + call.id);
        n.put("object", "chat.completion.chunk");
        n.put("created", call.created.getEpochSecond());
        n.put("model", call.model());
        n.put("system_fingerprint", "simulated");
        return n;
    }

    private static void usageNull(SimCall call, ObjectNode chunk) {
        if (call.request.includeUsage()) {
            chunk.putNull("usage");
        }
    }

    private static ObjectNode usage(SimCall call) {
        ObjectNode u = object();
        u.put("prompt_tokens", call.promptEvalTokens);
        u.put("completion_tokens", call.outputTokens);
        u.put("total_tokens", call.promptEvalTokens + call.outputTokens);
        u.putObject("prompt_tokens_details").put("cached_tokens", call.cachedTokens);
        return u;
    }

    private ObjectNode models() {
        ObjectNode root = object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        SimSettings settings = server.settings();
        if (settings.anyModelName()) {
            data.addObject().put("id", settings.modelPath()).put("object", "model").put("created", 1735689600L)
                    .put("owned_by", "llamacpp");
            return root;
        }
        for (String m : settings.models()) {
            data.addObject().put("id", m).put("object", "model").put("created", 1735689600L)
                    .put("owned_by", "guidesmith-sim");
        }
        return root;
    }

    private static ApiException error(int status, Outcome outcome, String message, String type) {
        ObjectNode err = object();
        err.putObject("error").put("message", message).put("type", type).put("code", status);
        return new ApiException(status, outcome, json(err));
    }
}
