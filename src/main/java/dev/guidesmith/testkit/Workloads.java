package dev.guidesmith.testkit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Generated inputs: problems files of any size. */
public final class Workloads {

    private static final String[] LEVELS = {"Easy", "Medium", "Hard"};

    private Workloads() {
    }

    /**
     * A JSONL problems file: ids from {@code firstId}, titles, difficulties and topics but no
     * statement, so every stage calls the model.
     */
    public static Path problems(Path file, int firstId, int count) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int id = firstId; id < firstId + count; id++) {
                out.write("{\"id\": " + id + ", \"title\": \"Generated problem " + id + "\", \"difficulty\": \""
                        + LEVELS[id % 3] + "\", \"topics\": [\"Array\", \"Hash Table\"]}\n");
            }
        }
        return file;
    }
}
