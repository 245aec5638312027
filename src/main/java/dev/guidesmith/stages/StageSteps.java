package dev.guidesmith.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.guidesmith.llm.CallOptions;
import dev.guidesmith.llm.ModelReply;
import dev.guidesmith.llm.ModelRequest;
import java.time.Instant;
import java.util.Optional;

/**
 * The two halves of a stage around its model call, as the stage route uses them: before, decide
 * whether the stage still needs a model (the input may supply its result, or the cache may hold
 * one with the same fingerprint) and build the request from the results so far; after, keep the
 * reply as the stage's result in the cache, before the item moves on.
 */
public final class StageSteps {

    private final StageCatalog catalog;
    private final StageCache cache;
    private final StageResults results;
    private final StageStats stats;

    public StageSteps(StageCatalog catalog, StageCache cache, StageResults results, StageStats stats) {
        this.catalog = catalog;
        this.cache = cache;
        this.results = results;
        this.stats = stats;
    }

    /**
     * @return the model call the item's stage still needs, or null when its result is already
     *         known (from the input, or in the cache)
     */
    public ModelRequest modelRequestFor(WorkItem item) {
        String stageName = item.stage();
        StageDefinition stage = catalog.stage(stageName);
        String fingerprint = item.fingerprint(stageName);
        if (fingerprint == null) {
            stats.fromInput(stageName); // the problem supplies this stage's output (e.g. its description)
            return null;
        }
        Optional<StageResult> cached = cache.find(stageName, fingerprint);
        if (cached.isPresent()) {
            stats.cacheHit(stageName);
            return null;
        }
        return new ModelRequest(
                stageName,
                stage.order(),
                item.problem().toString(),
                new StagePrompt(stage.system(), stage.template(),
                        TemplateContext.of(item, results.before(item, stageName), catalog), stage.inputs()),
                stage.schema(),
                stage.maxTokens(),
                stage.temperature(),
                stage.endpoints(),
                CallOptions.of(item.job()).withPrefix(stage.system().prefixKey()));
    }

    /** Keeps the reply as the item's result for its stage. */
    public void accept(WorkItem item, ModelReply reply) {
        String stageName = item.stage();
        JsonNode content = reply.json() != null ? reply.json() : TextNode.valueOf(reply.text().strip());
        cache.store(new StageResult(
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
                Instant.now().toString()));
        stats.modelCall(stageName, reply);
    }
}
