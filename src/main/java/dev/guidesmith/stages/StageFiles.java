package dev.guidesmith.stages;

import dev.guidesmith.support.AtomicFiles;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage results of one node on disk: {@code <work>/cache/<stage>/<ab>/<fingerprint>.json}, written
 * atomically; an unreadable file (a disk problem) is treated as a miss and logged.
 */
public final class StageFiles implements StageStore {

    private static final Logger LOG = LoggerFactory.getLogger(StageFiles.class);

    private final Path root;

    public StageFiles(Path root) {
        this.root = root;
    }

    @Override
    public Optional<StageResult> read(String stage, String fingerprint) {
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

    @Override
    public void write(StageResult result) {
        try {
            AtomicFiles.writeString(fileFor(result.stage(), result.fingerprint()), Json.pretty(result));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the stage cache under " + root.toAbsolutePath()
                    + " (" + e.getMessage() + "): check free disk space and permissions of pipeline.work", e);
        }
    }

    Path fileFor(String stage, String fingerprint) {
        return root.resolve(stage).resolve(fingerprint.substring(0, 2)).resolve(fingerprint + ".json");
    }
}
