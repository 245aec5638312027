package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What the OpenAI-compatible generation endpoints ({@code /v1/chat/completions}, {@code /v1/completions}) share: the
 * model-name rules, the parameters real clients pass through, {@code response_format}, error bodies and
 * {@code usage}. Errors are {@code {"error":{"message","type","code"}}}; a prompt over the context gets llama-server's
 * {@code exceed_context_size_error} body.
 *
 * <p>Sampling parameters the simulator cannot simulate ({@code temperature}, {@code top_p},
 * {@code presence_penalty}, {@code frequency_penalty}, ...) are accepted and ignored; {@code seed} changes the reply;
 * {@code stop} ends it before the first stop sequence; {@code n} must be 1 (one choice is all it writes).
 * The prompt cache is on unless llama-server's {@code cache_prompt: false} is sent; {@code usage.prompt_tokens} is the
 * whole prompt and {@code usage.prompt_tokens_details.cached_tokens} the part reused from the slot, as llama-server
 * and vLLM (with prefix caching) report them.
 */
abstract class OpenAiCompatibleApi extends ApiHandler {

    static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    OpenAiCompatibleApi(SimulatedModelServer server) {
        super(server);
    }

    @Override
    final SimApi api() {
        return SimApi.OPENAI;
    }

    /**
     * The served model a request names: the first one if it names none; refused with 404 if not served (unless the
     * server answers to any name, as llama-server does).
     */
    final String model(JsonNode body) {
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
        return model;
    }

    /**
     * A generation request from the parameters both endpoints take; {@code prompt} already holds the model and the
     * prompt text.
     *
     * @param defaultMaxTokens the output limit when the request sets none (-1 for none)
     */
    final GenerationRequest request(String endpoint, JsonNode body, String model, PromptMeasure prompt,
            int defaultMaxTokens) {
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && !(n.canConvertToInt() && n.asInt() == 1)) {
            throw badRequest("n must be 1: the simulated server writes one choice");
        }
        ReplyFormat format = replyFormat(body.get("response_format"));
        if (format.key() != null) {
            prompt.key(format.key());
        }
        if (body.has("seed")) {
            prompt.key("seed:" + body.get("seed").asText());
        }
        int maxTokens = intOr(body.get("max_completion_tokens"), intOr(body.get("max_tokens"), defaultMaxTokens));
        boolean stream = body.path("stream").asBoolean(false);
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        return new GenerationRequest(SimApi.OPENAI, endpoint, model, prompt.tokens(), prompt.promptText(),
                prompt.hash(), format.schema(), format.json(), maxTokens < 0 ? -1 : maxTokens,
                server.settings().contextTokens(), stream, includeUsage, LlamaCppApi.cachePrompt(body),
                StopSequences.of(body.get("stop")));
    }

    /** What {@code response_format} asks for; {@code key} is what decides the reply text (null for plain text). */
    private record ReplyFormat(JsonNode schema, boolean json, String key) {
    }

    private ReplyFormat replyFormat(JsonNode format) {
        if (format == null || !format.isObject()) {
            return new ReplyFormat(null, false, null);
        }
        String type = format.path("type").asText("text");
        return switch (type) {
            case "json_schema" -> {
                JsonNode js = format.path("json_schema");
                JsonNode schema = js.has("schema") ? js.get("schema") : format.get("schema");
                if (schema == null || !schema.isObject()) {
                    throw badRequest("response_format.json_schema.schema must be a JSON schema object");
                }
                yield new ReplyFormat(schema, true, format.toString());
            }
            // llama-server's extension: json_object with a schema
            case "json_object" -> new ReplyFormat(format.path("schema").isObject() ? format.get("schema") : null,
                    true, format.toString());
            case "text" -> new ReplyFormat(null, false, format.toString());
            default -> throw badRequest("response_format.type must be text, json_object or json_schema");
        };
    }

    @Override
    final ApiException badRequest(String message) {
        return error(400, Outcome.BAD_REQUEST, message, "invalid_request_error");
    }

    @Override
    final ApiException failure(Outcome kind) {
        return switch (kind) {
            case BUSY -> error(503, Outcome.BUSY, OllamaApi.BUSY, "unavailable_error");
            case LOADING -> error(503, Outcome.LOADING, "Loading model", "unavailable_error");
            default -> error(500, Outcome.ERROR, "[simulated] injected failure", "server_error");
        };
    }

    @Override
    final ApiException contextOverflow(GenerationRequest request) {
        return LlamaCppApi.exceedContext(request);
    }

    @Override
    final String streamContentType() {
        return "text/event-stream";
    }

    static String finishReason(SimCall call) {
        return call.finish == Outcome.LENGTH ? "length" : "stop";
    }

    /** {@code "usage": null} on every chunk before the usage chunk, as OpenAI sends it with include_usage. */
    static void usageNull(SimCall call, ObjectNode chunk) {
        if (call.request.includeUsage()) {
            chunk.putNull("usage");
        }
    }

    /**
     * Ends a stream after its last chunk: the usage chunk (on {@code head}, a chunk with no choices)
     * when the request asked for it with include_usage, then {@code [DONE]}.
     */
    static byte[] endOfStream(ByteArrayOutputStream out, SimCall call, ObjectNode head) {
        if (call.request.includeUsage()) {
            head.putArray("choices");
            head.set("usage", usage(call));
            out.writeBytes(sse(head));
        }
        out.writeBytes(DONE);
        return out.toByteArray();
    }

    static ObjectNode usage(SimCall call) {
        ObjectNode u = object();
        u.put("prompt_tokens", call.promptEvalTokens);
        u.put("completion_tokens", call.outputTokens);
        u.put("total_tokens", call.promptEvalTokens + call.outputTokens);
        u.putObject("prompt_tokens_details").put("cached_tokens", call.cachedTokens);
        return u;
    }

    private static ApiException error(int status, Outcome outcome, String message, String type) {
        ObjectNode err = object();
        err.putObject("error").put("message", message).put("type", type).put("code", status);
        return new ApiException(status, outcome, json(err));
    }
}
