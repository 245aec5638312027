package dev.guidesmith.problems;

import static dev.guidesmith.problems.ProblemField.COMPANIES;
import static dev.guidesmith.problems.ProblemField.DESCRIPTION;
import static dev.guidesmith.problems.ProblemField.DIFFICULTY;
import static dev.guidesmith.problems.ProblemField.ID;
import static dev.guidesmith.problems.ProblemField.SLUG;
import static dev.guidesmith.problems.ProblemField.TITLE;
import static dev.guidesmith.problems.ProblemField.TOPICS;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks one entry and turns it into a {@link Problem}, reading it in the format whose id it
 * carries (see {@link ProblemFormats}: the own format's {@code id}, {@code title}, {@code topics} or
 * {@code tags}, ...; LeetCode's {@code questionFrontendId}, {@code titleSlug}, {@code topicTags},
 * ...): an id (number or string) and a title are required; unknown fields are ignored; every text
 * is bounded so one huge field cannot swell prompts, caches and memory.
 */
public final class ProblemValidator {

    static final int MAX_ID = 100;
    static final int MAX_TITLE = 300;
    static final int MAX_SHORT = 100;
    static final int MAX_LIST = 30;
    static final int MAX_DESCRIPTION = 20_000;

    private static final Pattern NON_SLUG = Pattern.compile("[^a-z0-9]+");
    private static final Pattern NUMBER = Pattern.compile("0|[1-9][0-9]{0,17}");

    public Problem validate(ProblemEntry entry) {
        if (entry.parseError() != null) {
            throw new InvalidProblemException(null, entry.where() + ": " + entry.parseError());
        }
        JsonNode json = entry.json();
        if (json == null || !json.isObject()) {
            throw new InvalidProblemException(null, entry.where() + " is not a JSON object: expected {\"id\": ..., \"title\": ...}");
        }
        ProblemFormat format = ProblemFormats.of(json);
        JsonNode idNode = format.value(json, ID);
        String id = idText(idNode);
        if (id == null) {
            throw new InvalidProblemException(null, entry.where() + noUsableId(format));
        }
        String title = singleLine(text(format.value(json, TITLE), MAX_TITLE));
        if (title == null) {
            throw new InvalidProblemException(id, entry.where() + " (id " + id + ") has no " + format.pathsOf(TITLE)
                    + (format == ProblemFormats.OWN ? "" : " (" + format.name() + ")"));
        }
        String slug = singleLine(text(format.value(json, SLUG), MAX_SHORT));
        return new Problem(
                id,
                idNode.isNumber() || format.digitIdsAreNumbers() && NUMBER.matcher(id).matches(),
                title,
                slug != null ? slug : slugOf(title),
                difficulty(format, singleLine(text(format.value(json, DIFFICULTY), MAX_SHORT))),
                list(format.value(json, TOPICS)),
                list(format.value(json, COMPANIES)),
                text(format.value(json, DESCRIPTION), MAX_DESCRIPTION),
                format.paidOnly(json));
    }

    /** Says what an id is and, for an entry in none of LeetCode's shapes, where their lists keep it. */
    private static String noUsableId(ProblemFormat format) {
        String required = "a number or a non-empty string of at most " + MAX_ID + " characters is required";
        if (format == ProblemFormats.OWN) {
            return " has no usable \"id\" (" + required + "; LeetCode's lists keep it in "
                    + ProblemFormats.idFields() + ")";
        }
        return " has no usable id in " + format.pathsOf(ID) + " (" + format.name() + "): " + required;
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

    private static String text(JsonNode node, int max) {
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

    /** A difficulty the format encodes (LeetCode's level 1, 2, 3) by its name; else as {@link #difficulty(String)}. */
    private static String difficulty(ProblemFormat format, String raw) {
        String named = raw == null ? null : format.difficultyNames().get(raw);
        return named != null ? named : difficulty(raw);
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
