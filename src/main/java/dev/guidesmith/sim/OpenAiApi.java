package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;

/**
 * The OpenAI-compatible chat API: {@code POST /v1/chat/completions} (SSE streaming ending in {@code data: [DONE]}, or
 * one JSON body) and {@code GET /v1/models}. What it shares with {@code /v1/completions} (parameters, errors, usage
 * with cached tokens) is in {@link OpenAiCompatibleApi}.
 */
final class OpenAiApi extends OpenAiCompatibleApi {

    private static final String CHAT = "/v1/chat/completions";

    OpenAiApi(SimulatedModelServer server) {
        super(server);
    }

    @Override
    void register(ServerRun run) {
        GenerationEngine engine = server.engine();
        run.route(CHAT, ex -> engine.handle(ex, this, CHAT, run));
        run.route("/v1/models", ex -> HttpIo.sendJson(ex, 200, json(models())));
    }

    @Override
    GenerationRequest parse(String endpoint, JsonNode body) {
        String model = model(body);
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray()) {
            throw badRequest("'messages' is required and must be an array");
        }
        PromptMeasure prompt = new PromptMeasure().key(model).messages(messages);
        return request(endpoint, body, model, prompt, -1);
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
        return endOfStream(out, call, chunk(call));
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

    private static ObjectNode chunk(SimCall call) {
        ObjectNode n = object();
        n.put("id", "chatcmpl-" + call.id);
        n.put("object", "chat.completion.chunk");
        n.put("created", call.created.getEpochSecond());
        n.put("model", call.model());
        n.put("system_fingerprint", "simulated");
        return n;
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
}
