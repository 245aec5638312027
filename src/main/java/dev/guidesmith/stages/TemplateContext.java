package dev.guidesmith.stages;

import dev.guidesmith.support.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values a template sees: the problem's fields ({@code {{title}}}, {@code {{#topics}}}) and
 * every result gathered so far under its stage's output name ({@code {{description}}},
 * {@code {{#analysis.edge_cases}}}). A field the input supplied wins over a stage that would have
 * produced it.
 */
public final class TemplateContext {

    private TemplateContext() {
    }

    /** @param results the item's results so far, by stage */
    public static Map<String, Object> of(WorkItem item, Map<String, StageResult> results, StageCatalog catalog) {
        Map<String, Object> context = new LinkedHashMap<>();
        results.forEach((stageName, result) ->
                context.put(catalog.stage(stageName).output(), Json.MAPPER.convertValue(result.content(), Object.class)));
        context.putAll(ProblemFields.of(item.problem()));
        return context;
    }
}
