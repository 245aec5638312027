package dev.guidesmith.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;

/**
 * Streams the lines of a batch input file, one request at a time (a file of any size is never in
 * memory whole), each parsed into a {@link BatchRequest} or, when it is not one, the reason. Blank
 * lines are skipped; line numbers count every line.
 */
final class BatchLines implements Iterator<BatchLines.Line>, Closeable {

    /** Bounds what one request may hold, so a hostile file cannot exhaust memory. */
    static final int MAX_LINE_CHARS = 16 << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(MAX_LINE_CHARS).maxNestingDepth(64).build())
                    .build())
            .build();

    /**
     * @param request the request, or null when the line is not one
     * @param problem why it is not ({@code code} as OpenAI names it, and a sentence), else null
     */
    record Line(long number, BatchRequest request, BatchProblem problem) {
    }

    private final BufferedReader reader;
    private final BooleanSupplier stopped;
    private Line next;
    private long number;
    private boolean exhausted;

    private BatchLines(BufferedReader reader, BooleanSupplier stopped) {
        this.reader = reader;
        this.stopped = stopped;
    }

    static BatchLines open(Path file, BooleanSupplier stopped) throws IOException {
        return new BatchLines(Files.newBufferedReader(file, StandardCharsets.UTF_8), stopped);
    }

    /** The first request line's JSON, for telling a batch file from other JSONL files; null when there is none. */
    static JsonNode firstLine(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    try {
                        return MAPPER.readTree(line);
                    } catch (JsonProcessingException e) {
                        return null;
                    }
                }
            }
            return null;
        }
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (exhausted || stopped.getAsBoolean()) {
            return false;
        }
        try {
            String text;
            do {
                text = reader.readLine();
                number++;
            } while (text != null && text.isBlank());
            if (text == null) {
                exhausted = true;
                return false;
            }
            next = parse(number, text);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read line " + (number + 1) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Line next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Line line = next;
        next = null;
        return line;
    }

    static Line parse(long number, String text) {
        if (text.length() > MAX_LINE_CHARS) {
            return problem(number, "invalid_json_line", null, "is longer than " + MAX_LINE_CHARS + " characters");
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return problem(number, "invalid_json_line", null, "is not valid JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            return problem(number, "invalid_json_line", null, "is not a JSON object");
        }
        JsonNode customId = json.get("custom_id");
        if (customId == null || !customId.isTextual() || customId.asText().isEmpty()) {
            return problem(number, "missing_custom_id", "custom_id", "has no \"custom_id\" (a non-empty string)");
        }
        String method = json.path("method").asText("");
        if (!"POST".equals(method)) {
            return problem(number, "invalid_method", "method", "has method \"" + method + "\"; only POST is supported");
        }
        JsonNode body = json.get("body");
        if (body == null || !body.isObject()) {
            return problem(number, "missing_body", "body", "has no \"body\" object");
        }
        return new Line(number, new BatchRequest(number, customId.asText(), method, json.path("url").asText(""), body), null);
    }

    private static Line problem(long number, String code, String param, String what) {
        return new Line(number, null, new BatchProblem(code, number, "Line " + number + " " + what + ".", param));
    }

    @Override
    public void close() {
        exhausted = true;
        try {
            reader.close();
        } catch (IOException e) {
            // nothing more to read either way
        }
    }
}
