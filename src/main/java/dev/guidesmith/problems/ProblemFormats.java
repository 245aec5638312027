package dev.guidesmith.problems;

import static dev.guidesmith.problems.ProblemField.COMPANIES;
import static dev.guidesmith.problems.ProblemField.DESCRIPTION;
import static dev.guidesmith.problems.ProblemField.DIFFICULTY;
import static dev.guidesmith.problems.ProblemField.ID;
import static dev.guidesmith.problems.ProblemField.PAID_ONLY;
import static dev.guidesmith.problems.ProblemField.SLUG;
import static dev.guidesmith.problems.ProblemField.TITLE;
import static dev.guidesmith.problems.ProblemField.TOPICS;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The input formats the service reads, as a table: guidesmith's own list and the two lists
 * LeetCode serves (its GraphQL {@code problemsetQuestionList} and the older
 * {@code /api/problems/all/}). Supporting another format is adding a row here.
 *
 * <p>A file's shape only says where its list is; each entry is read in the format whose id it
 * carries, so a flat array or JSON Lines of LeetCode's objects works, and so does a failure record
 * (a {@code {"problems": [...]}} file) holding an entry exactly as LeetCode gave it.
 */
public final class ProblemFormats {

    /** The file format guidesmith has always read: {@code {"id": 1, "title": "Two Sum", ...}}. */
    public static final ProblemFormat OWN = new ProblemFormat(
            "guidesmith's own list",
            "an array of problems or {\"problems\": [...]}, each {\"id\": 1, \"title\": \"Two Sum\", ...}",
            List.of("problems"),
            Map.of(ID, List.of("id"),
                    TITLE, List.of("title"),
                    SLUG, List.of("slug"),
                    DIFFICULTY, List.of("difficulty"),
                    TOPICS, List.of("topics", "tags"),
                    COMPANIES, List.of("companies"),
                    DESCRIPTION, List.of("description"),
                    PAID_ONLY, List.of("paid_only", "paidOnly", "isPaidOnly")),
            Map.of(),
            false);

    /**
     * LeetCode's GraphQL lists: {@code problemsetQuestionList} (and its V2, whose {@code id} is an
     * internal number, not the problem's), the older {@code allQuestions}, or the part of one a
     * script kept ({@code {"total": 3600, "questions": [...]}}).
     */
    public static final ProblemFormat LEETCODE_GRAPHQL = new ProblemFormat(
            "LeetCode's GraphQL list",
            "{\"data\": {\"problemsetQuestionList\": {\"questions\": [{\"questionFrontendId\": \"1\","
                    + " \"title\": \"Two Sum\", \"titleSlug\": \"two-sum\", ...}]}}}",
            List.of("data.problemsetQuestionList.questions", "data.problemsetQuestionListV2.questions",
                    "data.allQuestions", "questions"),
            Map.of(ID, List.of("questionFrontendId", "frontendQuestionId", "questionId"),
                    TITLE, List.of("title"),
                    SLUG, List.of("titleSlug", "slug"),
                    DIFFICULTY, List.of("difficulty"),
                    TOPICS, List.of("topicTags"),
                    PAID_ONLY, List.of("paidOnly", "isPaidOnly")),
            Map.of(),
            true);

    /** LeetCode's {@code /api/problems/all/}: each entry a {@code stat} object, a difficulty level. */
    public static final ProblemFormat LEETCODE_API = new ProblemFormat(
            "LeetCode's /api/problems/all/ list",
            "{\"stat_status_pairs\": [{\"stat\": {\"frontend_question_id\": 1, \"question__title\": \"Two Sum\","
                    + " \"question__title_slug\": \"two-sum\"}, \"difficulty\": {\"level\": 1}, \"paid_only\": false}]}",
            List.of("stat_status_pairs"),
            Map.of(ID, List.of("stat.frontend_question_id", "stat.question_id"),
                    TITLE, List.of("stat.question__title"),
                    SLUG, List.of("stat.question__title_slug"),
                    DIFFICULTY, List.of("difficulty.level"),
                    PAID_ONLY, List.of("paid_only")),
            Map.of("1", "Easy", "2", "Medium", "3", "Hard"),
            true);

    /** In the order users meet them (messages, the README). */
    public static final List<ProblemFormat> ALL = List.of(OWN, LEETCODE_GRAPHQL, LEETCODE_API);

    /**
     * In the order an entry is told: LeetCode's first, since their id fields are theirs alone
     * (a V2 entry also has an {@code id}, which is not the problem's number); the own format takes
     * every other entry, so a bad one is told what the own format needs.
     */
    private static final List<ProblemFormat> RECOGNITION = List.of(LEETCODE_API, LEETCODE_GRAPHQL, OWN);

    private ProblemFormats() {
    }

    /** The format an entry is in: the first whose id it carries; the own format when none. */
    public static ProblemFormat of(JsonNode entry) {
        for (ProblemFormat format : RECOGNITION) {
            if (format.carriesId(entry)) {
                return format;
            }
        }
        return OWN;
    }

    /** Whether an entry is marked paid-only (LeetCode Premium), in whichever format it is. */
    public static boolean paidOnly(JsonNode entry) {
        if (entry == null || !entry.isObject()) {
            return false;
        }
        return of(entry).paidOnly(entry);
    }

    /** The accepted formats, for the message that rejects a file. */
    public static String accepted() {
        return ALL.stream().map(ProblemFormats::describe).collect(Collectors.joining("; "));
    }

    private static String describe(ProblemFormat format) {
        String where = format.lists().size() > 1
                ? "; its list may also be at " + String.join(", ", format.lists().subList(1, format.lists().size()))
                : "";
        return format.shape() + " (" + format.name() + where + ")";
    }

    /** Where each format keeps an id, for the message about an entry without one. */
    static String idFields() {
        return ALL.stream().filter(format -> format != OWN)
                .map(format -> format.pathsOf(ID) + " in " + format.name())
                .collect(Collectors.joining("; "));
    }
}
