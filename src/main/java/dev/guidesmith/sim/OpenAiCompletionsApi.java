package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;

/**
 * OpenAI's legacy text completions, {@code POST /v1/completions}: a {@code prompt} string instead of
 * {@code messages}, replies as {@code text_completion} objects ({@code choices[0].text}), streamed as SSE chunks ending
 * in {@code data: [DONE]}. Batch clients use it for prompts they have templated themselves.
 *
 * <p>Without {@code max_tokens}, vLLM and OpenAI stop after 16 tokens ({@code finish_reason: "length"}); a server in
 * llama-server's manner ({@link SimSettings#anyModelName()}) writes until the reply or the context ends.
 */
final class OpenAiCompletionsApi extends OpenAiCompatibleApi {

    static final String COMPLETIONS = "/v1/completions";
    /** OpenAI's and vLLM's {@code max_tokens} default for text completions. */
    static final int DEFAULT_MAX_TOKENS = 16;

    OpenAiCompletionsApi(SimulatedModelServer server) {
        super(server);
    }

    @Override
    void register(ServerRun run) {
        GenerationEngine engine = server.engine();
        run.route(COMPLETIONS, ex -> engine.handle(ex, this, COMPLETIONS, run));
    }

    @Override
    GenerationRequest parse(String endpoint, JsonNode body) {
        String model = model(body);
        JsonNode promptNode = body.get("prompt");
        if (promptNode != null && promptNode.isArray() && promptNode.size() == 1) {
            promptNode = promptNode.get(0); // a batch of one
        }
        if (promptNode == null || !promptNode.isTextual()) {
            throw badRequest("'prompt' is required and must be a string (the simulated server takes one prompt)");
        }
        PromptMeasure prompt = new PromptMeasure().key(model).text(promptNode.asText());
        int defaultMaxTokens = server.settings().anyModelName() ? -1 : DEFAULT_MAX_TOKENS;
        return request(endpoint, body, model, prompt, defaultMaxTokens);
    }

    @Override
    byte[] streamPiece(SimCall call, String piece) {
        return sse(chunk(call, piece, null));
    }

    @Override
    byte[] streamTail(SimCall call) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        out.writeBytes(sse(chunk(call, "", finishReason(call))));
        return endOfStream(out, call, head(call));
    }

    @Override
    byte[] whole(SimCall call) {
        ObjectNode n = head(call);
        choice(n, call.text, finishReason(call));
        n.set("usage", usage(call));
        return bytes(n);
    }

    private static ObjectNode chunk(SimCall call, String text, String finishReason) {
        ObjectNode n = head(call);
        choice(n, text, finishReason);
        usageNull(call, n);
        return n;
    }

    private static void choice(ObjectNode n, String text, String finishReason) {
        ObjectNode choice = n.putArray("choices").addObject();
        choice.put("text", text);
        choice.put("index", 0);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
    }

    private static ObjectNode head(SimCall call) {
        ObjectNode n = object();
        n.put("id", "cmpl-" + call.id);
        n.put("object", "text_completion");
        n.put("created", call.created.getEpochSecond());
        n.put("model", call.model());
        n.put("system_fingerprint", "simulated");
        return n;
    }
}
