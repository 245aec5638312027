package dev.guidesmith.guide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.support.AtomicFiles;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Failure records as files, {@code <work>/failed/<name>.json}, written atomically. */
public final class FailureFiles implements FailureRecords {

    private static final Logger LOG = LoggerFactory.getLogger(FailureFiles.class);

    private final Path folder;

    public FailureFiles(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    @Override
    public void write(String name, JsonNode record) {
        try {
            AtomicFiles.writeString(folder.resolve(name + ".json"), Json.pretty(record));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a failure record in " + folder.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean delete(String name) {
        try {
            return Files.deleteIfExists(folder.resolve(name + ".json"));
        } catch (IOException e) {
            LOG.debug("Could not remove the old failure record {}: {}", name, e.getMessage());
            return false;
        }
    }

    /** Reads only the newest records' files. */
    @Override
    public List<Stored> newest(int count) {
        List<Stored> found = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return found;
        }
        record Dated(Path file, FileTime modified) {
        }
        PriorityQueue<Dated> newest = new PriorityQueue<>(Comparator.comparing(Dated::modified));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
            for (Path file : files) {
                if (!file.getFileName().toString().startsWith(".")) {
                    newest.add(new Dated(file, Files.getLastModifiedTime(file)));
                    if (newest.size() > count) {
                        newest.poll();
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("Cannot list the failure records in {}: {}", folder, e.getMessage());
            return found;
        }
        while (!newest.isEmpty()) {
            Dated dated = newest.poll();
            String name = dated.file().getFileName().toString();
            try {
                found.add(new Stored(name.substring(0, name.length() - ".json".length()),
                        Json.MAPPER.readTree(dated.file().toFile()), dated.modified().toInstant()));
            } catch (IOException e) {
                LOG.debug("Skipping the unreadable failure record {}: {}", dated.file(), e.getMessage());
            }
        }
        return found;
    }
}
