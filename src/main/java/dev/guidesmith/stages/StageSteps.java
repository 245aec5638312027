package dev.guidesmith.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.guidesmith.llm.ModelReply;
import dev.guidesmith.llm.ModelRequest;
import dev.guidesmith.status.StageStats;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The two halves of a stage around its model call, as the stage route uses them: before, decide
 * whether the stage still needs a model (the input may supply its result, or the cache may hold
 * one with the same fingerprint) and build the request; after, keep the reply as the stage's
 * result, in the work item and in the cache.
 */
public final class StageSteps {

    private final StageCatalog catalog;
    private final StageCache cache;
    private final StageStats stats;

    public StageSteps(StageCatalog catalog, StageCache cache, StageStats stats) {
        this.catalog = catalog;
        this.cache = cache;
        this.stats = stats;
    }

    /**
     * @return the model call this stage still needs for this problem, or null when its result is
     *         already known (from the input or the cache), in which case it is in the item now
     */
    public ModelRequest modelRequestFor(WorkItem item, String stageName) {
        StageDefinition stage = catalog.stage(stageName);
        item.enter(stageName);
        String fingerprint = item.fingerprint(stageName);
        if (fingerprint == null) {
            stats.fromInput(stageName); // the problem supplies this stage's output (e.g. its description)
            return null;
        }
        Optional<StageResult> cached = cache.find(stageName, fingerprint);
        if (cached.isPresent()) {
            item.put(cached.get().asCached());
            stats.cacheHit(stageName);
            return null;
        }
        Map<String, Object> context = TemplateContext.of(item, catalog);
        return new ModelRequest(
                stageName,
                stage.order(),
                item.problem().toString(),
                new StagePrompt(stage.template(), context, stage.inputs()),
                stage.schema(),
                stage.maxTokens(),
                stage.temperature(),
                stage.endpoints());
    }

    public WorkItem accept(WorkItem item, String stageName, ModelReply reply) {
        JsonNode content = reply.json() != null ? reply.json() : TextNode.valueOf(reply.text().strip());
        StageResult result = new StageResult(
                stageName,
                item.problem().id(),
                item.fingerprint(stageName),
                content,
                "model",
                reply.endpoint(),
                reply.model(),
                reply.simulated(),
                reply.promptTokens(),
                reply.outputTokens(),
                reply.elapsedMillis(),
                Instant.now().toString());
        cache.store(result);
        item.put(result);
        stats.modelCall(stageName, reply.promptTokens(), reply.outputTokens(), reply.elapsedMillis());
        return item;
    }
}
