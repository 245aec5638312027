package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Ollama's native API: {@code POST /api/chat}, {@code POST /api/generate} (NDJSON streaming, on by default),
 * {@code GET /api/version}, {@code /api/tags}, {@code /api/ps}, and {@code GET /} ("Ollama is running").
 * Errors are {@code {"error":"..."}}.
 *
 * <p>Ollama always reuses its slots' prompt caches. Since 0.2 (ollama#5371) {@code prompt_eval_count} is the whole
 * prompt whether cached or not (before, a cached prompt showed only its evaluated part, or no count at all), and
 * since 0.33.3 {@code prompt_eval_cached_count} says how much of it came from the cache; only
 * {@code prompt_eval_duration} shrinks. So a client that reads {@code prompt_eval_count} as "tokens the model read"
 * (the silent-truncation check) is not misled by the cache.
 */
final class OllamaApi extends ApiHandler {

    /** The first release whose replies carry {@code prompt_eval_cached_count}. */
    static final String VERSION = "0.33.3";
    static final String BUSY = "server busy, please try again.  maximum pending requests exceeded";
    static final String PROMPT_TOO_LONG = "the prompt is longer than the context length currently available to the "
            + "model; shorten the prompt, adjust the context length in settings, or use a model with a longer "
            + "context length";
    static final String FAILURE = "[simulated] injected failure: llama runner process has terminated";

    private static final String CHAT = "/api/chat";
    private static final String GENERATE = "/api/generate";
    private static final String MODIFIED_AT = "2025-01-01T00:00:00Z";
    private static final long MODEL_SIZE = 4_683_087_332L;

    OllamaApi(SimulatedModelServer server) {
        super(server);
    }

    @Override
    SimApi api() {
        return SimApi.OLLAMA;
    }

    @Override
    void register(ServerRun run) {
        GenerationEngine engine = server.engine();
        run.route(CHAT, ex -> engine.handle(ex, this, CHAT, run));
        run.route(GENERATE, ex -> engine.handle(ex, this, GENERATE, run));
        run.route("/api/version", ex -> HttpIo.sendJson(ex, 200, json(object().put("version", VERSION))));
        run.route("/api/tags", ex -> HttpIo.sendJson(ex, 200, json(tags())));
        run.route("/api/ps", ex -> HttpIo.sendJson(ex, 200, json(ps(run))));
        run.route("/", ex -> {
            if (ex.getRequestURI().getPath().equals("/")) {
                HttpIo.sendText(ex, 200, "Ollama is running");
            } else {
                HttpIo.sendText(ex, 404, "404 page not found");
            }
        });
    }

    @Override
    GenerationRequest parse(String endpoint, JsonNode body) {
        SimSettings settings = server.settings();
        JsonNode modelNode = body.get("model");
        if (modelNode == null || !modelNode.isTextual() || modelNode.asText().isBlank()) {
            throw error(400, Outcome.BAD_REQUEST, "model is required");
        }
        String model = settings.resolveModel(modelNode.asText());
        if (model == null) {
            throw error(404, Outcome.UNKNOWN_MODEL,
                    "model \"" + modelNode.asText() + "\" not found, try pulling it first");
        }
        PromptMeasure prompt = new PromptMeasure().key(model);
        if (endpoint.equals(CHAT)) {
            JsonNode messages = body.get("messages");
            if (messages != null && !messages.isNull() && !messages.isArray()) {
                throw error(400, Outcome.BAD_REQUEST, "messages must be an array");
            }
            prompt.messages(messages);
        } else {
            if (body.path("system").isTextual()) {
                prompt.text(body.get("system").asText());
            }
            prompt.content(body.get("prompt"));
        }
        JsonNode format = body.get("format");
        JsonNode schema = null;
        boolean json = false;
        if (format != null && format.isObject()) {
            schema = format;
            json = true;
            prompt.key(format.toString());
        } else if (format != null && format.isTextual() && format.asText().equals("json")) {
            json = true;
            prompt.key("json");
        } else if (format != null && format.isTextual() && !format.asText().isEmpty()) {
            throw error(400, Outcome.BAD_REQUEST, "invalid format: expected \"json\" or a JSON schema");
        }
        JsonNode options = body.path("options");
        int numPredict = intOr(options.get("num_predict"), -1);
        int numCtx = intOr(options.get("num_ctx"), 0);
        if (options.has("seed")) {
            prompt.key("seed:" + options.get("seed").asText());
        }
        boolean stream = !body.has("stream") || body.get("stream").isNull() || body.get("stream").asBoolean(true);
        // keep_alive and the other sampling options (top_p, temperature, ...) are accepted and ignored
        return new GenerationRequest(SimApi.OLLAMA, endpoint, model, prompt.tokens(), prompt.promptText(),
                prompt.hash(), schema, json, numPredict < 0 ? -1 : numPredict,
                numCtx > 0 ? numCtx : settings.contextTokens(), stream, false, true,
                StopSequences.of(options.get("stop")));
    }

    @Override
    ApiException badRequest(String message) {
        return error(400, Outcome.BAD_REQUEST, message);
    }

    @Override
    ApiException failure(Outcome kind) {
        return switch (kind) {
            case BUSY -> error(503, Outcome.BUSY, BUSY);
            case LOADING -> error(503, Outcome.LOADING, "Loading model");
            default -> error(500, Outcome.ERROR, FAILURE);
        };
    }

    @Override
    ApiException contextOverflow(GenerationRequest request) {
        return error(400, Outcome.CONTEXT_OVERFLOW, PROMPT_TOO_LONG);
    }

    @Override
    boolean waitsWhileLoading() {
        return true;
    }

    @Override
    boolean capsOutputAtContext() {
        return false;
    }

    @Override
    String streamContentType() {
        return "application/x-ndjson";
    }

    @Override
    byte[] streamPiece(SimCall call, String piece) {
        ObjectNode n = head(call);
        content(call, n, piece);
        n.put("done", false);
        return line(n);
    }

    @Override
    byte[] streamTail(SimCall call) {
        return line(last(call, ""));
    }

    @Override
    byte[] whole(SimCall call) {
        return bytes(last(call, call.text));
    }

    private ObjectNode last(SimCall call, String text) {
        ObjectNode n = head(call);
        content(call, n, text);
        n.put("done_reason", call.finish == Outcome.LENGTH ? "length" : "stop");
        n.put("done", true);
        n.put("total_duration", call.totalNanos());
        n.put("load_duration", 1_000_000L);
        n.put("prompt_eval_count", call.promptEvalTokens);
        n.put("prompt_eval_cached_count", call.cachedTokens);
        n.put("prompt_eval_duration", call.promptNanos());
        n.put("eval_count", call.outputTokens);
        n.put("eval_duration", call.evalNanos());
        return n;
    }

    private static ObjectNode head(SimCall call) {
        ObjectNode n = object();
        n.put("model", call.model());
        n.put("created_at", Instant.now().toString());
        return n;
    }

    private static void content(SimCall call, ObjectNode n, String text) {
        if (call.endpoint.equals(CHAT)) {
            n.putObject("message").put("role", "assistant").put("content", text);
        } else {
            n.put("response", text);
        }
    }

    private static ApiException error(int status, Outcome outcome, String message) {
        return new ApiException(status, outcome, json(object().put("error", message)));
    }

    private ObjectNode tags() {
        ObjectNode root = object();
        ArrayNode models = root.putArray("models");
        for (String m : server.settings().models()) {
            ObjectNode e = models.addObject();
            e.put("name", m).put("model", m).put("modified_at", MODIFIED_AT).put("size", MODEL_SIZE)
                    .put("digest", digest(m));
            details(e);
        }
        return root;
    }

    private ObjectNode ps(ServerRun run) {
        ObjectNode root = object();
        ArrayNode models = root.putArray("models");
        if (run.loading()) {
            return root;
        }
        String expires = Instant.now().plusSeconds(300).toString();
        for (String m : server.settings().models()) {
            ObjectNode e = models.addObject();
            e.put("name", m).put("model", m).put("size", MODEL_SIZE).put("digest", digest(m));
            details(e);
            e.put("expires_at", expires).put("size_vram", MODEL_SIZE)
                    .put("context_length", server.settings().contextTokens());
        }
        return root;
    }

    private static void details(ObjectNode e) {
        ObjectNode d = e.putObject("details");
        d.put("parent_model", "").put("format", "gguf").put("family", "simulated");
        d.putArray("families").add("simulated");
        d.put("parameter_size", "7B").put("quantization_level", "Q4_K_M");
    }

    private static String digest(String model) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(model.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
