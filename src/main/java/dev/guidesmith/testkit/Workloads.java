package dev.guidesmith.testkit;

import dev.guidesmith.support.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Generated inputs: problems files and batch files of any size. */
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

    /**
     * A JSONL problems file like {@link #problems}, each with a statement of about
     * {@code statementChars} characters, so the describe stage is skipped and the three data stages
     * call the model with the statement in their prompts.
     */
    public static Path problemsWithStatements(Path file, int firstId, int count, int statementChars) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        String sentence = "Given an array of integers nums and an integer k, return the number of pairs (i, j) with i < j"
                + " whose sum is divisible by k. ";
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int id = firstId; id < firstId + count; id++) {
                StringBuilder statement = new StringBuilder("Problem " + id + ". ");
                while (statement.length() < statementChars) {
                    statement.append(sentence);
                }
                statement.append("\n\nExample 1: Input: nums = [").append(id).append(",2,3], k = 3. Output: 1.");
                out.write("{\"id\": " + id + ", \"title\": \"Generated problem " + id + "\", \"difficulty\": \""
                        + LEVELS[id % 3] + "\", \"topics\": [\"Array\", \"Hash Table\"], \"description\": "
                        + Json.compact(statement.toString()) + "}\n");
            }
        }
        return file;
    }

    /**
     * A JSONL problems file of {@code count} problems whose statements differ {@code spread}-fold in
     * length, from {@code shortestChars} up, evenly spread; in shuffled order ({@code seed}), as a
     * real list mixes small and big problems. The shortest third is Easy, the longest third Hard
     * (on LeetCode, hard problems tend to have the longer statements).
     */
    public static Path problemsVaryingInSize(Path file, int count, int shortestChars, double spread, long seed)
            throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        List<Integer> ranks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ranks.add(i);
        }
        Collections.shuffle(ranks, new Random(seed));
        String sentence = "Given a grid of integers and a list of queries, answer each query with the smallest cost of a"
                + " path between its two cells that avoids the blocked cells. ";
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < count; i++) {
                int rank = ranks.get(i);
                int id = i + 1;
                double size = count == 1 ? 0 : rank / (double) (count - 1);
                int chars = (int) Math.round(shortestChars * (1 + (spread - 1) * size));
                StringBuilder statement = new StringBuilder("Problem " + id + ". ");
                while (statement.length() < chars) {
                    statement.append(sentence);
                }
                statement.setLength(chars);
                out.write("{\"id\": " + id + ", \"title\": \"Generated problem " + id + "\", \"difficulty\": \""
                        + LEVELS[Math.min(2, 3 * rank / count)] + "\", \"topics\": [\"Graph\"], \"description\": "
                        + Json.compact(statement.toString()) + "}\n");
            }
        }
        return file;
    }

    /**
     * An OpenAI batch input file of chat requests for {@code model}: each asks to score one
     * candidate, after {@code rubric} as the system message (one long text shared by every request,
     * as when 170,000 candidates are scored with one rubric; empty for none).
     */
    public static Path batch(Path file, int requests, String model, String rubric) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        String system = rubric.isEmpty() ? "" : "{\"role\": \"system\", \"content\": " + Json.compact(rubric) + "}, ";
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 1; i <= requests; i++) {
                out.write("{\"custom_id\": \"candidate-" + i + "\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\","
                        + " \"body\": {\"model\": \"" + model + "\", \"max_tokens\": 100, \"messages\": [" + system
                        + "{\"role\": \"user\", \"content\": \"Candidate " + i + ": ten years of Java, led a team of five.\"}]}}\n");
            }
        }
        return file;
    }
}
