package dev.guidesmith.stages;

import dev.guidesmith.support.AtomicFiles;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage results on disk, addressed by fingerprint: {@code <work>/cache/<stage>/<ab>/<fingerprint>.json}.
 * A fingerprint names exactly what produced a result, so an entry never goes stale: a changed
 * template simply looks up other names, and changing it back finds the old results again. Files
 * are written atomically; an unreadable one (a disk problem) is treated as a miss and logged.
 *
 * <p>The results written last are also kept in memory (a few per problem in the pipeline): the
 * next stages of the same problem read them back soon, and need not parse the file again.
 */
public final class StageCache {

    private static final Logger LOG = LoggerFactory.getLogger(StageCache.class);

    private final Path root;
    private final Map<String, StageResult> recent;

    /** @param recentResults how many of the results written last are kept in memory */
    public StageCache(Path root, int recentResults) {
        this.root = root;
        this.recent = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, StageResult> eldest) {
                return size() > recentResults;
            }
        });
    }

    public Optional<StageResult> find(String stage, String fingerprint) {
        StageResult kept = recent.get(fingerprint);
        if (kept != null && kept.stage().equals(stage)) {
            return Optional.of(kept);
        }
        Path file = fileFor(stage, fingerprint);
        try {
            StageResult result = Json.MAPPER.readValue(Files.readAllBytes(file), StageResult.class);
            return fingerprint.equals(result.fingerprint()) ? Optional.of(result) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("Stage cache entry {} is unreadable ({}); the stage will run again", file, e.getMessage());
            return Optional.empty();
        }
    }

    public void store(StageResult result) {
        try {
            AtomicFiles.writeString(fileFor(result.stage(), result.fingerprint()), Json.pretty(result));
            recent.put(result.fingerprint(), result);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the stage cache under " + root.toAbsolutePath()
                    + " (" + e.getMessage() + "): check free disk space and permissions of pipeline.work", e);
        }
    }

    Path fileFor(String stage, String fingerprint) {
        return root.resolve(stage).resolve(fingerprint.substring(0, 2)).resolve(fingerprint + ".json");
    }
}
