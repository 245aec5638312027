package dev.guidesmith.guide;

import dev.guidesmith.stages.StageCache;
import dev.guidesmith.stages.StageCatalog;
import dev.guidesmith.stages.StageDefinition;
import dev.guidesmith.stages.StageResult;
import dev.guidesmith.stages.WorkItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a planned problem stands, stage by stage, for estimating its work: which stages the input
 * supplies, which the stage cache holds (and how long their replies were), which are still to run.
 */
final class StageOutlook {

    private final StageCatalog catalog;
    private final StageCache cache;

    StageOutlook(StageCatalog catalog, StageCache cache) {
        this.catalog = catalog;
        this.cache = cache;
    }

    List<GuideWork.Stage> of(WorkItem item) {
        List<GuideWork.Stage> stages = new ArrayList<>();
        for (StageDefinition stage : catalog.stages()) {
            String fingerprint = item.fingerprint(stage.name());
            if (fingerprint == null) {
                stages.add(GuideWork.Stage.supplied(stage.maxTokens()));
                continue;
            }
            Optional<StageResult> cached = cache.find(stage.name(), fingerprint);
            stages.add(cached.map(result -> GuideWork.Stage.cached(stage.maxTokens(), result.outputTokens()))
                    .orElseGet(() -> GuideWork.Stage.toRun(stage.maxTokens())));
        }
        return stages;
    }
}
