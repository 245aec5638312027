package dev.guidesmith.testing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Synthetic problems files: ids from {@code firstId}, titles only, so every stage calls the model. */
public final class GeneratedProblems {

    private GeneratedProblems() {
    }

    public static Path jsonl(Path file, int firstId, int count) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int id = firstId; id < firstId + count; id++) {
                out.write("{\"id\": " + id + ", \"title\": \"Generated problem " + id + "\", \"difficulty\": \"Medium\"}\n");
            }
        }
        return file;
    }
}
