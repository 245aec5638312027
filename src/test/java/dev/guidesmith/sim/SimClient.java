package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A plain JDK HttpClient over HTTP/1.1 for the tests, plus JSON and schema helpers. */
final class SimClient {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http;
    private final URI base;

    SimClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, JsonNode body) throws IOException, InterruptedException {
        return post(path, body, Duration.ofSeconds(20));
    }

    HttpResponse<String> post(String path, JsonNode body, Duration timeout) throws IOException, InterruptedException {
        return http.send(request(path, body, timeout), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postRaw(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest request(String path, JsonNode body, Duration timeout) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    HttpClient http() {
        return http;
    }

    /** Polls {@code condition} every 10 ms until it holds; fails after {@code max}. */
    static void waitFor(Duration max, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + max);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    /** Non-empty lines of a streamed body. */
    static List<String> lines(String body) {
        List<String> out = new ArrayList<>();
        for (String l : body.split("\n")) {
            if (!l.isBlank()) {
                out.add(l);
            }
        }
        return out;
    }

    /** The JSON payloads of SSE {@code data:} lines (excluding {@code [DONE]}). */
    static List<JsonNode> sseEvents(String body) {
        List<JsonNode> out = new ArrayList<>();
        for (String l : lines(body)) {
            if (!l.startsWith("data: ")) {
                throw new AssertionError("not an SSE data line: " + l);
            }
            String data = l.substring("data: ".length());
            if (!data.equals("[DONE]")) {
                out.add(json(data));
            }
        }
        return out;
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    static ObjectNode obj() {
        return MAPPER.createObjectNode();
    }

    /** Validation errors of {@code instance} against {@code schema} (draft 2020-12 unless the schema says). */
    static Set<String> schemaErrors(JsonNode schema, JsonNode instance) {
        SpecVersion.VersionFlag version = schema.has("$schema") ? SpecVersionDetector.detect(schema)
                : SpecVersion.VersionFlag.V202012;
        JsonSchema s = JsonSchemaFactory.getInstance(version).getSchema(schema);
        Set<ValidationMessage> errors = s.validate(instance);
        return errors.stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }

    static ObjectNode userMessages(String text) {
        ObjectNode body = obj();
        body.putArray("messages").addObject().put("role", "user").put("content", text);
        return body;
    }

    /** A study-guide-like schema: nested objects, a $ref, enums, bounded arrays, code strings, numbers. */
    static JsonNode guideSchema() {
        return json("""
                {
                  "type": "object",
                  "$defs": {
                    "step": {
                      "type": "object",
                      "properties": {
                        "n": {"type": "integer", "minimum": 1, "maximum": 20},
                        "text": {"type": "string", "minLength": 5}
                      },
                      "required": ["n", "text"],
                      "additionalProperties": false
                    }
                  },
                  "properties": {
                    "title": {"type": "string", "maxLength": 80},
                    "difficulty": {"type": "string", "enum": ["Easy", "Medium", "Hard"]},
                    "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 5,
                             "uniqueItems": true},
                    "steps": {"type": "array", "items": {"$ref": "#/$defs/step"}, "minItems": 4},
                    "complexity": {
                      "type": "object",
                      "properties": {"time": {"type": "string"}, "space": {"type": "string"}},
                      "required": ["time", "space"]
                    },
                    "python": {"type": "string"},
                    "cpp": {"type": "string"},
                    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                    "reviewed": {"type": "boolean"},
                    "notes": {"anyOf": [{"type": "null"}, {"type": "string", "maxLength": 200}]},
                    "levels": {"type": "array", "items": {"enum": ["a", "b", "c"]}, "minItems": 2,
                               "maxItems": 2, "uniqueItems": true}
                  },
                  "required": ["title", "difficulty", "tags", "steps", "complexity", "python", "cpp",
                               "confidence", "reviewed"],
                  "additionalProperties": false
                }
                """);
    }
}
