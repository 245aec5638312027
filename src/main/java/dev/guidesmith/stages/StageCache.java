package dev.guidesmith.stages;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Stage results addressed by fingerprint, kept by a {@link StageStore} (local files, or a database
 * shared by several nodes). A fingerprint names exactly what produced a result, so an entry never
 * goes stale: a changed template simply looks up other names, and changing it back finds the old
 * results again.
 *
 * <p>The results written last are also kept in memory (a few per problem in the pipeline): the
 * next stages of the same problem read them back soon, and need not fetch them again.
 */
public final class StageCache {

    private final StageStore store;
    private final Map<String, StageResult> recent;

    /** @param recentResults how many of the results written last are kept in memory */
    public StageCache(StageStore store, int recentResults) {
        this.store = store;
        this.recent = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, StageResult> eldest) {
                return size() > recentResults;
            }
        });
    }

    /** One node's cache: files under {@code root}. */
    public StageCache(Path root, int recentResults) {
        this(new StageFiles(root), recentResults);
    }

    public Optional<StageResult> find(String stage, String fingerprint) {
        StageResult kept = recent.get(fingerprint);
        if (kept != null && kept.stage().equals(stage)) {
            return Optional.of(kept);
        }
        return store.read(stage, fingerprint);
    }

    public void store(StageResult result) {
        store.write(result);
        recent.put(result.fingerprint(), result);
    }
}
