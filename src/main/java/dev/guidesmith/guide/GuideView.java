package dev.guidesmith.guide;

import dev.guidesmith.problems.Problem;
import dev.guidesmith.stages.CheckOutcome;
import dev.guidesmith.stages.StageCatalog;
import dev.guidesmith.stages.StageResult;
import dev.guidesmith.stages.TemplateContext;
import dev.guidesmith.stages.WorkItem;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the guide template sees: everything a prompt template sees (problem fields, stage outputs by
 * name) plus {@code front_matter}, {@code simulated}, {@code models}, and code without stray fences;
 * for a guide that failed its checks, {@code needs_review}, {@code failed_checks},
 * {@code check_failures} ({@code check}, {@code message}) and {@code repair_calls}. The front matter
 * says {@code paid_only: true} for a problem the input marked paid-only. Front-matter metadata
 * missing from the input is taken from the first stage result that has it, so no stage name is
 * hard-wired here.
 */
public final class GuideView {

    private static final List<String> METADATA = List.of("difficulty", "topics", "companies");
    private static final Set<String> CODE_FIELDS = Set.of("python", "cpp", "code");
    private static final Pattern FENCE = Pattern.compile("^\\s*```[\\w+#-]*\\s*\\n|\\n?\\s*```\\s*$");

    private GuideView() {
    }

    /**
     * The guide's content as the template sees it (problem fields and stage outputs, code without
     * fences): what the checks read.
     */
    public static Map<String, Object> content(WorkItem item, Map<String, StageResult> results, StageCatalog catalog) {
        Map<String, Object> view = new LinkedHashMap<>();
        TemplateContext.of(item, results, catalog).forEach((key, value) -> view.put(key, withoutFences(key, value)));
        return view;
    }

    static Map<String, Object> of(WorkItem item, Map<String, StageResult> results, StageCatalog catalog) {
        Map<String, Object> view = content(item, results, catalog);
        Problem problem = item.problem();
        for (String field : METADATA) {
            if (!view.containsKey(field)) {
                Object found = fromResults(view, field);
                if (found != null) {
                    view.put(field, found);
                }
            }
        }
        Set<String> models = new TreeSet<>();
        boolean simulated = false;
        for (StageResult result : results.values()) {
            if (result.model() != null) {
                models.add(result.model());
            }
            simulated |= result.simulated();
        }
        view.put("simulated", simulated);
        view.put("models", String.join(", ", models));

        Map<String, Object> front = new LinkedHashMap<>();
        front.put("id", problem.numericId() ? new BigInteger(problem.id()) : problem.id());
        front.put("title", problem.title());
        front.put("slug", problem.slug());
        for (String field : METADATA) {
            front.put(field, view.get(field));
        }
        if (problem.paidOnly()) {
            front.put("paid_only", true);
        }
        front.put("models", new ArrayList<>(models));
        if (simulated) {
            front.put("simulated", true);
        }
        CheckOutcome checks = item.checks();
        if (checks != null) {
            front.put("checks", checks.ok() ? "passed" : "failed");
            front.put("failed_checks", checks.failedChecks());
            if (!checks.ok()) {
                view.put("needs_review", true);
                view.put("failed_checks", String.join(", ", checks.failedChecks()));
                view.put("check_failures", checks.failed().stream()
                        .map(f -> Map.of("check", f.check(), "message", f.message())).toList());
                if (checks.repairCalls() > 0) {
                    view.put("repair_calls", checks.repairCalls());
                }
            }
        }
        front.put("generated", Instant.now().toString());
        view.put("front_matter", FrontMatter.of(front));
        return view;
    }

    private static Object fromResults(Map<String, Object> view, String field) {
        for (Object value : view.values()) {
            if (value instanceof Map<?, ?> map && map.get(field) != null) {
                Object found = map.get(field);
                boolean empty = found instanceof List<?> list ? list.isEmpty() : found.toString().isBlank();
                if (!empty) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Models often wrap code in a Markdown fence although the schema asked for bare code. */
    @SuppressWarnings("unchecked")
    private static Object withoutFences(String key, Object value) {
        if (value instanceof String text && CODE_FIELDS.contains(key)) {
            return FENCE.matcher(text).replaceAll("").stripTrailing();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> out.put(k, withoutFences(k, v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(withoutFences(key, v)));
            return out;
        }
        return value;
    }
}
