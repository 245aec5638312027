package dev.guidesmith.guide;

import dev.guidesmith.support.Json;
import java.util.List;
import java.util.Map;

/**
 * YAML front matter written by code, not by the template, so it is valid YAML whatever a title
 * holds: strings are JSON-quoted (a JSON string is a valid YAML double-quoted scalar), lists are
 * flow sequences, a numeric id stays a number.
 */
final class FrontMatter {

    private FrontMatter() {
    }

    static String of(Map<String, Object> fields) {
        StringBuilder yaml = new StringBuilder("---\n");
        fields.forEach((key, value) -> {
            if (value == null || value instanceof List<?> list && list.isEmpty()) {
                return;
            }
            yaml.append(key).append(": ").append(scalar(value)).append('\n');
        });
        return yaml.append("---").toString();
    }

    private static String scalar(Object value) {
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return Json.compact(value);
    }
}
