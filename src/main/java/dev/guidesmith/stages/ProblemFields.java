package dev.guidesmith.stages;

import dev.guidesmith.problems.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The fields of a problem by the names templates and stage inputs use. */
public final class ProblemFields {

    public static final Set<String> NAMES = Set.of("id", "title", "slug", "difficulty", "topics", "companies", "description",
            "paid_only");

    private ProblemFields() {
    }

    /** Only the fields the input actually supplied; absent and empty ones are left out. */
    public static Map<String, Object> of(Problem problem) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", problem.id());
        fields.put("title", problem.title());
        fields.put("slug", problem.slug());
        putIfPresent(fields, "difficulty", problem.difficulty());
        putIfPresent(fields, "topics", problem.topics());
        putIfPresent(fields, "companies", problem.companies());
        putIfPresent(fields, "description", problem.description());
        if (problem.paidOnly()) { // only when marked, so the fingerprints of every other problem stay as they were
            fields.put("paid_only", true);
        }
        return fields;
    }

    private static void putIfPresent(Map<String, Object> fields, String name, Object value) {
        boolean present = value instanceof String s ? !s.isBlank() : value instanceof List<?> l && !l.isEmpty();
        if (present) {
            fields.put(name, value);
        }
    }
}
