package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * llama.cpp's llama-server native API: {@code GET /health}, {@code /props}, {@code /slots} and
 * {@code POST /completion} (SSE {@code data:} lines, the last with {@code "stop":true}, no {@code [DONE]}). Errors are
 * {@code {"error":{"code","message","type"}}}.
 *
 * <p>The prompt cache is reported as llama-server reports it: {@code tokens_evaluated} is the whole prompt,
 * {@code timings.cache_n} the part reused from the slot, {@code timings.prompt_n} the part evaluated, and
 * {@code tokens_cached} what the slot holds afterwards (prompt + reply - 1). {@code cache_prompt: false} turns the
 * reuse off for one request.
 */
final class LlamaCppApi extends ApiHandler {

    private static final String COMPLETION = "/completion";

    LlamaCppApi(SimulatedModelServer server) {
        super(server);
    }

    /** llama-server's answer to a prompt that does not fit, for {@code /completion} and {@code /v1/chat/completions}. */
    static ApiException exceedContext(GenerationRequest request) {
        int n = request.promptTokens();
        int ctx = request.contextTokens();
        ObjectNode root = object();
        root.putObject("error")
                .put("code", 400)
                .put("message", "request (" + n + " tokens) exceeds the available context size (" + ctx
                        + " tokens), try increasing it")
                .put("type", "exceed_context_size_error")
                .put("n_prompt_tokens", n)
                .put("n_ctx", ctx);
        return new ApiException(400, Outcome.CONTEXT_OVERFLOW, json(root));
    }

    @Override
    SimApi api() {
        return SimApi.LLAMA_CPP;
    }

    @Override
    void register(ServerRun run) {
        GenerationEngine engine = server.engine();
        run.route(COMPLETION, ex -> engine.handle(ex, this, COMPLETION, run));
        run.route("/health", ex -> {
            if (run.loading()) {
                HttpIo.sendJson(ex, 503, json(errorBody(503, "Loading model", "unavailable_error")));
            } else {
                HttpIo.sendJson(ex, 200, json(object().put("status", "ok")));
            }
        });
        run.route("/props", ex -> HttpIo.sendJson(ex, 200, json(props(run))));
        run.route("/slots", ex -> HttpIo.sendJson(ex, 200, json(slots(run))));
        run.route("/apply-template", ex -> HttpIo.sendJson(ex, 200, json(applyTemplate(HttpIo.readBody(ex)))));
    }

    /** llama-server formats chat messages with the model's template; the simulator uses ChatML. */
    private ObjectNode applyTemplate(byte[] body) throws java.io.IOException {
        StringBuilder prompt = new StringBuilder();
        for (JsonNode message : MAPPER.readTree(body).path("messages")) {
            prompt.append("<|im_start|>").append(message.path("role").asText("user")).append('\n')
                    .append(message.path("content").asText("")).append("<|im_end|>\n");
        }
        prompt.append("<|im_start|>assistant\n");
        return object().put("prompt", prompt.toString());
    }

    @Override
    GenerationRequest parse(String endpoint, JsonNode body) {
        SimSettings settings = server.settings();
        String model = settings.anyModelName() ? settings.modelPath() : settings.models().get(0);
        JsonNode promptNode = body.get("prompt");
        if (promptNode == null || promptNode.isNull()) {
            throw badRequest("\"prompt\" must be provided");
        }
        PromptMeasure prompt = new PromptMeasure().key(model);
        if (promptNode.isArray()) {
            for (JsonNode p : promptNode) {
                if (p.isNumber()) { // a token id counts as one token
                    prompt.text("tokn");
                } else {
                    prompt.content(p);
                }
            }
        } else {
            prompt.content(promptNode);
        }
        JsonNode schema = body.get("json_schema");
        if (schema != null && schema.isNull()) {
            schema = null;
        }
        if (schema != null && !schema.isObject()) {
            throw badRequest("\"json_schema\" must be a JSON schema object");
        }
        if (schema != null) {
            prompt.key(schema.toString());
        }
        if (body.has("seed")) {
            prompt.key("seed:" + body.get("seed").asText());
        }
        int nPredict = intOr(body.get("n_predict"), -1);
        boolean stream = body.path("stream").asBoolean(false);
        return new GenerationRequest(SimApi.LLAMA_CPP, endpoint, model, prompt.tokens(), prompt.promptText(),
                prompt.hash(), schema, schema != null, nPredict < 0 ? -1 : nPredict, settings.contextTokens(), stream,
                false, cachePrompt(body), StopSequences.of(body.get("stop")));
    }

    /** llama-server's {@code cache_prompt}, on unless the request turns it off (its /v1 endpoints read it too). */
    static boolean cachePrompt(JsonNode body) {
        return body.path("cache_prompt").asBoolean(true);
    }

    @Override
    ApiException badRequest(String message) {
        return new ApiException(400, Outcome.BAD_REQUEST, json(errorBody(400, message, "invalid_request_error")));
    }

    @Override
    ApiException failure(Outcome kind) {
        return switch (kind) {
            case BUSY -> new ApiException(503, Outcome.BUSY,
                    json(errorBody(503, OllamaApi.BUSY, "unavailable_error")));
            case LOADING -> new ApiException(503, Outcome.LOADING,
                    json(errorBody(503, "Loading model", "unavailable_error")));
            default -> new ApiException(500, Outcome.ERROR,
                    json(errorBody(500, "[simulated] injected failure", "server_error")));
        };
    }

    @Override
    ApiException contextOverflow(GenerationRequest request) {
        return exceedContext(request);
    }

    @Override
    String streamContentType() {
        return "text/event-stream";
    }

    @Override
    byte[] streamPiece(SimCall call, String piece) {
        ObjectNode n = object();
        n.put("index", 0);
        n.put("content", piece);
        n.putArray("tokens");
        n.put("stop", false);
        n.put("id_slot", call.slot);
        n.put("tokens_predicted", call.outputTokens + SimSettings.tokensOf(piece.length()));
        n.put("tokens_evaluated", call.promptEvalTokens);
        return sse(n);
    }

    @Override
    byte[] streamTail(SimCall call) {
        return sse(last(call, ""));
    }

    @Override
    byte[] whole(SimCall call) {
        return bytes(last(call, call.text));
    }

    private ObjectNode last(SimCall call, String content) {
        SimSettings settings = server.settings();
        ObjectNode n = object();
        n.put("index", 0);
        n.put("content", content);
        n.putArray("tokens");
        n.put("id_slot", call.slot);
        n.put("stop", true);
        n.put("model", call.model());
        n.put("tokens_predicted", call.outputTokens);
        n.put("tokens_evaluated", call.promptEvalTokens);
        ObjectNode gs = n.putObject("generation_settings");
        gs.put("n_predict", call.request.maxTokens());
        gs.put("n_ctx", settings.contextTokens());
        gs.put("seed", settings.seed());
        n.put("prompt", "");
        n.put("has_new_line", call.text.indexOf('\n') >= 0);
        n.put("truncated", call.cutByContext);
        n.put("stop_type", stopType(call));
        n.put("stopping_word", call.stoppingWord == null ? "" : call.stoppingWord);
        // what the slot's cache holds now: the prompt and the reply but its last token, which was never evaluated
        n.put("tokens_cached", Math.max(call.promptEvalTokens, call.promptEvalTokens + call.outputTokens - 1));
        n.set("timings", timings(call));
        return n;
    }

    private static String stopType(SimCall call) {
        if (call.stoppingWord != null) {
            return "word";
        }
        return call.finish == Outcome.LENGTH ? "limit" : "eos";
    }

    /**
     * llama-server's {@code timings}: {@code cache_n} prompt tokens reused from the slot's cache, {@code prompt_n}
     * evaluated (their sum is the prompt), and the measured times.
     */
    static ObjectNode timings(SimCall call) {
        double promptMs = call.promptNanos() / 1e6;
        double predictedMs = call.evalNanos() / 1e6;
        int evaluated = call.uncachedTokens();
        ObjectNode t = object();
        t.put("cache_n", call.cachedTokens);
        t.put("prompt_n", evaluated);
        t.put("prompt_ms", promptMs);
        t.put("prompt_per_token_ms", evaluated == 0 ? 0 : promptMs / evaluated);
        t.put("prompt_per_second", evaluated * 1000.0 / promptMs);
        t.put("predicted_n", call.outputTokens);
        t.put("predicted_ms", predictedMs);
        t.put("predicted_per_token_ms", call.outputTokens == 0 ? 0 : predictedMs / call.outputTokens);
        t.put("predicted_per_second", call.outputTokens * 1000.0 / predictedMs);
        return t;
    }

    private ObjectNode props(ServerRun run) {
        SimSettings settings = server.settings();
        ObjectNode root = object();
        ObjectNode dgs = root.putObject("default_generation_settings");
        dgs.put("id", 0).put("id_task", -1).put("n_ctx", settings.contextTokens()).put("speculative", false)
                .put("is_processing", false);
        dgs.putObject("params").put("n_predict", -1).put("seed", settings.seed()).put("temperature", 0.8);
        root.put("total_slots", run.slots());
        root.put("model_path", settings.modelPath());
        root.put("chat_template", "");
        root.put("build_info", "guidesmith simulated model server (" + settings.name() + ")");
        return root;
    }

    private ArrayNode slots(ServerRun run) {
        SimSettings settings = server.settings();
        ArrayNode arr = MAPPER.createArrayNode();
        for (int i = 0; i < run.slots(); i++) {
            ObjectNode s = arr.addObject();
            s.put("id", i).put("id_task", -1).put("n_ctx", settings.contextTokens()).put("speculative", false)
                    .put("is_processing", run.slotBusy(i));
        }
        return arr;
    }

    private static ObjectNode errorBody(int code, String message, String type) {
        ObjectNode root = object();
        root.putObject("error").put("code", code).put("message", message).put("type", type);
        return root;
    }
}
