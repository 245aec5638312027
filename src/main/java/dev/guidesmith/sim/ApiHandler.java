package dev.guidesmith.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * One API dialect: registers its endpoints, parses its generation requests and formats its replies and errors.
 * The {@link GenerationEngine} does the rest (faults, slots, timing, counting), the same for every dialect.
 */
abstract class ApiHandler {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final byte[] NOTHING = new byte[0];

    final SimulatedModelServer server;

    ApiHandler(SimulatedModelServer server) {
        this.server = server;
    }

    abstract SimApi api();

    /** Registers this dialect's endpoints on a freshly started run. */
    abstract void register(ServerRun run);

    /** Parses a generation request, or throws the API's 400/404 reply. */
    abstract GenerationRequest parse(String endpoint, JsonNode body);

    /** The reply to a body that is not a JSON object. */
    abstract ApiException badRequest(String message);

    /** The reply for {@link Outcome#ERROR}, {@link Outcome#BUSY} or {@link Outcome#LOADING}. */
    abstract ApiException failure(Outcome kind);

    /** The reply to a prompt over the context. */
    abstract ApiException contextOverflow(GenerationRequest request);

    /** Ollama loads models on demand: its requests wait for the load instead of getting 503. */
    boolean waitsWhileLoading() {
        return false;
    }

    /** Whether output stops when prompt + output reach the context (llama-server); Ollama shifts the context instead. */
    boolean capsOutputAtContext() {
        return true;
    }

    abstract String streamContentType();

    /** Bytes sent right after the headers of a streamed reply (before any content). */
    byte[] streamHead(SimCall call) {
        return NOTHING;
    }

    /** One streamed piece of content. */
    abstract byte[] streamPiece(SimCall call, String piece);

    /** What ends a streamed reply (final chunk, usage, {@code [DONE]}). */
    abstract byte[] streamTail(SimCall call);

    /** The whole non-streamed reply body. */
    abstract byte[] whole(SimCall call);

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String json(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One server-sent event: {@code data: <json>\n\n}. */
    static byte[] sse(JsonNode node) {
        return ("data: " + json(node) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** One NDJSON line. */
    static byte[] line(JsonNode node) {
        return (json(node) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Reads an integer option that may be absent or null. */
    static int intOr(JsonNode node, int fallback) {
        return node == null || node.isNull() || node.isMissingNode() || !node.canConvertToInt() ? fallback
                : node.asInt();
    }
}
