package dev.guidesmith.problems;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks one entry and turns it into a {@link Problem}: an id (number or string) and a title are
 * required; {@code topics} may also be spelled {@code tags}; unknown fields are ignored; every text
 * is bounded so one huge field cannot swell prompts, caches and memory.
 */
public final class ProblemValidator {

    static final int MAX_ID = 100;
    static final int MAX_TITLE = 300;
    static final int MAX_SHORT = 100;
    static final int MAX_LIST = 30;
    static final int MAX_DESCRIPTION = 20_000;

    private static final Pattern NON_SLUG = Pattern.compile("[^a-z0-9]+");

    public Problem validate(ProblemEntry entry) {
        if (entry.parseError() != null) {
            throw new InvalidProblemException(null, entry.where() + ": " + entry.parseError());
        }
        JsonNode json = entry.json();
        if (json == null || !json.isObject()) {
            throw new InvalidProblemException(null, entry.where() + " is not a JSON object: expected {\"id\": ..., \"title\": ...}");
        }
        JsonNode idNode = json.get("id");
        String id = idText(idNode);
        if (id == null) {
            throw new InvalidProblemException(null, entry.where() + " has no usable \"id\" (a number or a non-empty string"
                    + " of at most " + MAX_ID + " characters is required)");
        }
        String title = singleLine(text(json, "title", MAX_TITLE));
        if (title == null) {
            throw new InvalidProblemException(id, entry.where() + " (id " + id + ") has no \"title\"");
        }
        String slug = singleLine(text(json, "slug", MAX_SHORT));
        return new Problem(
                id,
                idNode.isNumber(),
                title,
                slug != null ? slug : slugOf(title),
                difficulty(singleLine(text(json, "difficulty", MAX_SHORT))),
                list(json.has("topics") ? json.get("topics") : json.get("tags")),
                list(json.get("companies")),
                text(json, "description", MAX_DESCRIPTION));
    }

    private static String idText(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asText();
        }
        if (node.isTextual()) {
            String id = singleLine(node.asText());
            return id.isEmpty() || id.length() > MAX_ID ? null : id;
        }
        return null;
    }

    private static String text(JsonNode json, String field, int max) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String value = clean(node.asText());
        if (value.isEmpty()) {
            return null;
        }
        return value.length() > max ? value.substring(0, max) + " […]" : value;
    }

    private static List<String> list(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (node.isTextual()) {
            for (String part : node.asText().split(",")) {
                add(values, part);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (item.isValueNode()) {
                    add(values, item.asText());
                } else if (item.hasNonNull("name")) {
                    add(values, item.get("name").asText());
                }
            }
        }
        return values;
    }

    private static void add(List<String> values, String raw) {
        String value = singleLine(raw);
        if (!value.isEmpty() && values.size() < MAX_LIST && value.length() <= MAX_SHORT && !values.contains(value)) {
            values.add(value);
        }
    }

    /** Easy / Medium / Hard in the usual spelling; anything else is kept as given. */
    static String difficulty(String raw) {
        if (raw == null) {
            return null;
        }
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "easy" -> "Easy";
            case "medium" -> "Medium";
            case "hard" -> "Hard";
            default -> raw;
        };
    }

    static String slugOf(String title) {
        String slug = NON_SLUG.matcher(title.toLowerCase(Locale.ROOT)).replaceAll("-").replaceAll("^-+|-+$", "");
        return slug.length() > MAX_SHORT ? slug.substring(0, MAX_SHORT) : slug;
    }

    /** Ids, titles and labels live on one line (file lists, YAML, logs): collapse all whitespace. */
    private static String singleLine(String text) {
        return text == null ? null : clean(text).replaceAll("\\s+", " ");
    }

    /** Strips control characters (they break YAML front matter and terminals) and outer blanks. */
    private static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == '\n' || c == '\t' || !Character.isISOControl(c)) {
                out.appendCodePoint(c);
            }
        });
        return out.toString().strip();
    }
}
