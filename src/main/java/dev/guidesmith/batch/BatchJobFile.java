package dev.guidesmith.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.jobs.RejectedFileException;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A batch job file, {@code <name>.batch.yaml}: a table of inputs and a prompt template make a
 * batch, one request per row.
 *
 * <pre>
 * input: candidates.csv          # a CSV with a header row, or a JSONL of objects; relative to this file
 * id: email                      # the column that becomes custom_id (default: the row number)
 * model: qwen2.5-coder:7b
 * max_tokens: 300
 * temperature: 0
 * system: |                      # the shared rubric, sent first (so the servers' prompt caches hold it)
 *   Score the candidate from 1 to 5 ...
 * prompt: "Candidate: {{name}}, {{years}} years. {{summary}}"   # Mustache over the row's columns
 * schema:                        # optional: answers as JSON of this schema
 *   type: object
 *   properties: {score: {type: integer}, reason: {type: string}}
 *   required: [score, reason]
 * </pre>
 *
 * @param input the table, resolved against the job file's folder
 */
public record BatchJobFile(Path input, String id, String model, Integer maxTokens, Double temperature, String system,
                           String prompt, JsonNode schema) {

    private static final Set<String> KEYS = Set.of("input", "id", "model", "max_tokens", "temperature", "system", "prompt", "schema");

    /** Whether an inbox file is a batch job file, by its name. */
    public static boolean isJobFile(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".batch.yaml") || lower.endsWith(".batch.yml");
    }

    /**
     * @throws RejectedFileException when the file is not a usable job file (the reason names the key or line)
     */
    public static BatchJobFile read(Path file, String name) {
        Object loaded;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            loaded = new Load(LoadSettings.builder().build()).loadFromReader(reader);
        } catch (YamlEngineException e) {
            throw new RejectedFileException(name + " is not valid YAML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RejectedFileException(name + " cannot be read: " + e.getMessage(), e);
        }
        if (!(loaded instanceof Map<?, ?> fields)) {
            throw new RejectedFileException(name + " is not a batch job file: it should be a map of input, model, prompt"
                    + " (and id, max_tokens, temperature, system, schema)", null);
        }
        for (Object key : fields.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new RejectedFileException(name + " has the key '" + key + "', which a batch job file does not take: use "
                        + String.join(", ", KEYS.stream().sorted().toList()), null);
            }
        }
        String input = text(fields, "input", name, true);
        Path table = file.toAbsolutePath().getParent().resolve(input).normalize();
        Object schema = fields.get("schema");
        if (schema != null && !(schema instanceof Map)) {
            throw new RejectedFileException(name + ": schema must be a JSON schema object (a YAML map)", null);
        }
        return new BatchJobFile(table, text(fields, "id", name, false), text(fields, "model", name, true),
                number(fields, "max_tokens", name) == null ? null : number(fields, "max_tokens", name).intValue(),
                number(fields, "temperature", name) == null ? null : number(fields, "temperature", name).doubleValue(),
                text(fields, "system", name, false), text(fields, "prompt", name, true),
                schema == null ? null : Json.MAPPER.valueToTree(schema));
    }

    private static String text(Map<?, ?> fields, String key, String name, boolean required) {
        Object value = fields.get(key);
        if (value == null || value.toString().isBlank()) {
            if (required) {
                throw new RejectedFileException(name + " has no '" + key + "': a batch job file needs input, model and prompt", null);
            }
            return null;
        }
        if (value instanceof Map || value instanceof Iterable) {
            throw new RejectedFileException(name + ": '" + key + "' must be text", null);
        }
        return value.toString();
    }

    private static Number number(Map<?, ?> fields, String key, String name) {
        Object value = fields.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number)) {
            throw new RejectedFileException(name + ": '" + key + "' must be a number, not '" + value + "'", null);
        }
        return number;
    }
}
