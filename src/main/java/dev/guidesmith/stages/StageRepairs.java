package dev.guidesmith.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.guidesmith.llm.CallOptions;
import dev.guidesmith.llm.ModelReply;
import dev.guidesmith.llm.ModelRequest;
import dev.guidesmith.support.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two halves of a repair call around the model call, as the checks route uses them: before,
 * the stage's repair prompt ({@code routes/prompts/<stage>.repair.mustache}) over everything its
 * own prompt sees, its result so far and what the checks found wrong; after, the reply replaces the
 * stage's result in the cache under the same fingerprint, so the guide and any later run read the
 * mended result.
 */
public final class StageRepairs {

    private final StageCatalog catalog;
    private final StageCache cache;
    private final StageResults results;
    private final StageStats stats;

    public StageRepairs(StageCatalog catalog, StageCache cache, StageResults results, StageStats stats) {
        this.catalog = catalog;
        this.cache = cache;
        this.results = results;
        this.stats = stats;
    }

    /**
     * The call that asks the stage again. The repair prompt sees the problem's fields, every result
     * so far (the stage's own under its output name too), {@code previous} (the stage's result as
     * JSON), {@code attempt}, and {@code failures}: each with {@code check}, {@code language},
     * {@code field}, {@code code} and {@code error}.
     */
    public ModelRequest requestFor(WorkItem item, StageRepair repair) {
        StageDefinition stage = catalog.stage(repair.stage());
        if (!stage.repairable()) {
            throw new IllegalStateException("Stage " + stage.name() + " has no repair prompt");
        }
        StageResult current = current(item, stage.name());
        Map<String, StageResult> upToStage = new LinkedHashMap<>(results.before(item, stage.name()));
        upToStage.put(stage.name(), current);
        Map<String, Object> context = new LinkedHashMap<>(TemplateContext.of(item, upToStage, catalog));
        context.put("previous", current.content().isTextual() ? current.content().asText() : Json.pretty(current.content()));
        context.put("attempt", repair.attempt());
        List<Map<String, Object>> failures = new ArrayList<>();
        for (CheckFailure failure : repair.failures()) {
            Map<String, Object> quoted = new LinkedHashMap<>();
            quoted.put("check", failure.check());
            quoted.put("language", failure.language());
            quoted.put("field", failure.field());
            quoted.put("code", failure.code());
            quoted.put("error", failure.error());
            failures.add(quoted);
        }
        context.put("failures", failures);
        return new ModelRequest(
                stage.name(),
                catalog.stages().size(), // a repair finishes a problem: it goes before every stage's call
                item.problem().toString(),
                new StagePrompt(stage.system(), stage.repairTemplate(), context, stage.inputs()),
                stage.schema(),
                stage.maxTokens(),
                stage.temperature(),
                stage.endpoints(),
                CallOptions.of(item.job()).withPrefix(stage.system().prefixKey()));
    }

    /** The reply replaces the stage's result, under the same fingerprint. */
    public void accept(WorkItem item, StageRepair repair, ModelReply reply) {
        String stageName = repair.stage();
        JsonNode content = reply.json() != null ? reply.json() : TextNode.valueOf(reply.text().strip());
        cache.store(new StageResult(
                stageName,
                item.problem().id(),
                item.fingerprint(stageName),
                content,
                "repair",
                reply.endpoint(),
                reply.model(),
                reply.simulated(),
                reply.promptTokens(),
                reply.outputTokens(),
                reply.elapsedMillis(),
                Instant.now().toString()));
        stats.repairCall(stageName, reply.promptTokens(), reply.outputTokens(), reply.elapsedMillis());
    }

    private StageResult current(WorkItem item, String stage) {
        String fingerprint = item.fingerprint(stage);
        if (fingerprint == null) {
            throw new IllegalStateException("The input supplies stage " + stage + "'s result for " + item.problem()
                    + ": there is no stage result to repair");
        }
        return cache.find(stage, fingerprint).orElseThrow(() -> new IllegalStateException("The result of stage " + stage
                + " for " + item.problem() + " is missing from the stage cache (it was removed while the problem was"
                + " under way): drop the problem again"));
    }
}
