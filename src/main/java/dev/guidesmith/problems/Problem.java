package dev.guidesmith.problems;

import java.util.List;

/**
 * One problem as the input gave it, validated and bounded. {@code id} is kept as text exactly as
 * given (it is never used as a path: see {@link SafeName}); {@code numericId} says whether it was a
 * number, so the front matter can print it the same way; {@code paidOnly} that the input marked it
 * paid-only (LeetCode Premium).
 */
public record Problem(
        String id,
        boolean numericId,
        String title,
        String slug,
        String difficulty,
        List<String> topics,
        List<String> companies,
        String description,
        boolean paidOnly) {

    public Problem {
        topics = List.copyOf(topics);
        companies = List.copyOf(companies);
    }

    /** A problem the input did not mark paid-only. */
    public Problem(String id, boolean numericId, String title, String slug, String difficulty, List<String> topics,
            List<String> companies, String description) {
        this(id, numericId, title, slug, difficulty, topics, companies, description, false);
    }

    public boolean hasDescription() {
        return description != null && !description.isBlank();
    }

    /** The name of this problem's guide file, safe whatever the id holds. */
    public String guideFileName() {
        return "question_" + SafeName.of(id) + ".md";
    }

    @Override
    public String toString() {
        return "problem " + id + " (" + title + ")";
    }
}
