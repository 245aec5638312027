package dev.guidesmith.stages;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The results an item has gathered so far, read back from the stage cache by the fingerprints the
 * item carries: what a stage's prompt and the guide are made from.
 */
public final class StageResults {

    private final StageCatalog catalog;
    private final StageCache cache;

    public StageResults(StageCatalog catalog, StageCache cache) {
        this.catalog = catalog;
        this.cache = cache;
    }

    /** The results of the stages before {@code stage}, in pipeline order. */
    public Map<String, StageResult> before(WorkItem item, String stage) {
        Map<String, StageResult> results = new LinkedHashMap<>();
        for (StageDefinition earlier : catalog.stages()) {
            if (earlier.name().equals(stage)) {
                break;
            }
            String fingerprint = item.fingerprint(earlier.name());
            if (fingerprint != null) { // null: the problem itself supplies this stage's output
                results.put(earlier.name(), cache.find(earlier.name(), fingerprint).orElseThrow(() -> new IllegalStateException(
                        "The result of stage " + earlier.name() + " for " + item.problem() + " is missing from the stage cache"
                                + " (it was removed while the problem was under way): drop the problem again")));
            }
        }
        return results;
    }

    /** Every stage's result. */
    public Map<String, StageResult> all(WorkItem item) {
        return before(item, null);
    }
}
