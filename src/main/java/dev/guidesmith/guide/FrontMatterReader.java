package dev.guidesmith.guide;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.guidesmith.support.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a guide's YAML front matter back, only the lines between the opening and closing
 * {@code ---} (never the whole guide). The service writes each value as JSON (see
 * {@link FrontMatter}), which is parsed as such; a hand-edited plain value is taken as text.
 */
public final class FrontMatterReader {

    /** Front matter longer than this is not ours; the rest is ignored. */
    private static final int MAX_LINES = 200;
    /** Whole values only: a plain {@code title: 2 Keys Keyboard} is text, not the number 2. */
    private static final ObjectReader VALUE = Json.MAPPER.readerFor(Object.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private FrontMatterReader() {
    }

    /** The front matter's fields, or an empty map when the file has none. */
    public static Map<String, Object> read(Path guide) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(guide, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            if (line == null || !line.strip().equals("---")) {
                return fields;
            }
            for (int n = 0; n < MAX_LINES && (line = reader.readLine()) != null; n++) {
                if (line.strip().equals("---")) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || Character.isWhitespace(line.charAt(0))) {
                    continue;
                }
                fields.put(line.substring(0, colon).strip(), value(line.substring(colon + 1).strip()));
            }
        }
        return fields;
    }

    private static Object value(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return VALUE.readValue(text);
        } catch (IOException notJson) {
            if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
                return text.substring(1, text.length() - 1).replace("''", "'");
            }
            return text;
        }
    }
}
