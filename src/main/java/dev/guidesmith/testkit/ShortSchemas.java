package dev.guidesmith.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The data stages' schemas with every string and list held to a few entries. A tiny story model
 * fills JSON strings and lists up to their schema's limits (code strings have none), and the limits
 * are sized for real models: on these schemas its replies fit their room whatever it babbles, so a
 * test or benchmark measures the service, not the babble.
 */
public final class ShortSchemas {

    static final int MAX_CHARS = 80;

    private ShortSchemas() {
    }

    /**
     * Writes the shortened schemas of {@code stages} (from {@code routes/prompts}) into {@code dir}
     * and adds the settings that use them.
     */
    public static void use(Path dir, List<String> stages, Map<String, String> settings) throws IOException {
        Files.createDirectories(dir);
        for (String stage : stages) {
            JsonNode schema = Json.MAPPER.readTree(Path.of("routes/prompts", stage + ".schema.json").toFile());
            shorten(schema);
            Path file = Files.writeString(dir.resolve(stage + ".schema.json"), schema.toPrettyString());
            settings.put("stage." + stage + ".schema", file.toString());
        }
    }

    private static void shorten(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if ("string".equals(object.path("type").asText()) && !object.has("enum")) {
                object.put("maxLength", Math.min(object.path("maxLength").asInt(MAX_CHARS), MAX_CHARS));
            }
            if (object.has("maxItems")) {
                object.put("maxItems", Math.max(object.path("minItems").asInt(0), 1));
            }
        }
        node.forEach(ShortSchemas::shorten);
    }
}
