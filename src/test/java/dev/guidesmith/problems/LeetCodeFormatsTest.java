package dev.guidesmith.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LeetCode's own lists, as its GraphQL API and its older {@code /api/problems/all/} serve them,
 * read from files by the real reader and validator: id, title, slug, difficulty, topics, paid-only.
 */
class LeetCodeFormatsTest {

    /** problemsetQuestionList as the site's problem list page asks for it (abridged to three). */
    static final String GRAPHQL = """
            {"data": {"problemsetQuestionList": {"total": 3, "questions": [
              {"acRate": 51.07, "difficulty": "Easy", "freqBar": null, "frontendQuestionId": "1", "isFavor": false,
               "paidOnly": false, "status": "ac", "title": "Two Sum", "titleSlug": "two-sum",
               "topicTags": [{"name": "Array", "id": "VG9waWNUYWdOb2RlOjU=", "slug": "array"},
                             {"name": "Hash Table", "id": "VG9waWNUYWdOb2RlOjY=", "slug": "hash-table"}],
               "hasSolution": true, "hasVideoSolution": true},
              {"acRate": 62.3, "difficulty": "Medium", "freqBar": null, "frontendQuestionId": "156", "isFavor": false,
               "paidOnly": true, "status": null, "title": "Binary Tree Upside Down", "titleSlug": "binary-tree-upside-down",
               "topicTags": [{"name": "Tree", "slug": "tree"}, {"name": "Depth-First Search", "slug": "depth-first-search"},
                             {"name": "Binary Tree", "slug": "binary-tree"}],
               "hasSolution": true, "hasVideoSolution": false},
              {"acRate": 63.9, "difficulty": "Hard", "freqBar": null, "frontendQuestionId": "42", "isFavor": true,
               "paidOnly": false, "status": null, "title": "Trapping Rain Water", "titleSlug": "trapping-rain-water",
               "topicTags": [], "hasSolution": true, "hasVideoSolution": true}
            ]}}}
            """;

    /** /api/problems/all/ as the site served it (abridged to three, in its own newest-first order). */
    static final String API = """
            {"user_name": "", "num_solved": 0, "num_total": 3, "ac_easy": 0, "ac_medium": 0, "ac_hard": 0,
             "stat_status_pairs": [
              {"stat": {"question_id": 156, "question__article__live": null, "question__article__slug": null,
                        "question__title": "Binary Tree Upside Down", "question__title_slug": "binary-tree-upside-down",
                        "question__hide": false, "total_acs": 112233, "total_submitted": 180000,
                        "frontend_question_id": 156, "is_new_question": false},
               "status": null, "difficulty": {"level": 2}, "paid_only": true, "is_favor": false, "frequency": 0, "progress": 0},
              {"stat": {"question_id": 42, "question__article__live": true, "question__article__slug": "trapping-rain-water",
                        "question__title": "Trapping Rain Water", "question__title_slug": "trapping-rain-water",
                        "question__hide": false, "total_acs": 2000000, "total_submitted": 3100000,
                        "frontend_question_id": 42, "is_new_question": false},
               "status": "ac", "difficulty": {"level": 3}, "paid_only": false, "is_favor": false, "frequency": 0, "progress": 0},
              {"stat": {"question_id": 1, "question__article__live": true, "question__article__slug": "two-sum",
                        "question__title": "Two Sum", "question__title_slug": "two-sum", "question__hide": false,
                        "total_acs": 9316466, "total_submitted": 18232419, "frontend_question_id": 1, "is_new_question": false},
               "status": "ac", "difficulty": {"level": 1}, "paid_only": false, "is_favor": false, "frequency": 0, "progress": 0}
            ],
             "frequency_high": 0, "frequency_mid": 0, "category_slug": "all"}
            """;

    @TempDir
    Path dir;

    private final ProblemValidator validator = new ProblemValidator();

    private List<Problem> problems(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        List<Problem> problems = new ArrayList<>();
        try (ProblemFileReader reader = ProblemFileReader.open(file, name)) {
            reader.forEachRemaining(entry -> problems.add(validator.validate(entry)));
        }
        return problems;
    }

    private Problem one(String entry) throws IOException {
        return problems("one.json", "[" + entry + "]").get(0);
    }

    @Test
    void readsTheGraphQlList() throws IOException {
        List<Problem> problems = problems("graphql.json", GRAPHQL);

        assertThat(problems).extracting(Problem::id).containsExactly("1", "156", "42");
        Problem twoSum = problems.get(0);
        assertThat(twoSum.numericId()).as("LeetCode's numbers served as strings").isTrue();
        assertThat(twoSum.title()).isEqualTo("Two Sum");
        assertThat(twoSum.slug()).isEqualTo("two-sum");
        assertThat(twoSum.difficulty()).isEqualTo("Easy");
        assertThat(twoSum.topics()).containsExactly("Array", "Hash Table");
        assertThat(twoSum.paidOnly()).isFalse();
        assertThat(twoSum.companies()).isEmpty();
        assertThat(twoSum.hasDescription()).isFalse();

        Problem upsideDown = problems.get(1);
        assertThat(upsideDown.slug()).isEqualTo("binary-tree-upside-down");
        assertThat(upsideDown.difficulty()).isEqualTo("Medium");
        assertThat(upsideDown.topics()).containsExactly("Tree", "Depth-First Search", "Binary Tree");
        assertThat(upsideDown.paidOnly()).isTrue();

        assertThat(problems.get(2).difficulty()).isEqualTo("Hard");
        assertThat(problems.get(2).topics()).isEmpty();
    }

    @Test
    void readsTheApiListWithItsDifficultyLevels() throws IOException {
        List<Problem> problems = problems("all.json", API);

        assertThat(problems).extracting(Problem::id).containsExactly("156", "42", "1");
        assertThat(problems).extracting(Problem::difficulty).containsExactly("Medium", "Hard", "Easy");
        assertThat(problems).extracting(Problem::slug)
                .containsExactly("binary-tree-upside-down", "trapping-rain-water", "two-sum");
        assertThat(problems).extracting(Problem::title)
                .containsExactly("Binary Tree Upside Down", "Trapping Rain Water", "Two Sum");
        assertThat(problems).extracting(Problem::paidOnly).containsExactly(true, false, false);
        assertThat(problems).allSatisfy(problem -> {
            assertThat(problem.numericId()).isTrue();
            assertThat(problem.topics()).as("the API list has no tags").isEmpty();
        });
    }

    @Test
    void bothListsGiveTheSameProblem() throws IOException {
        Problem fromGraphQl = problems("graphql.json", GRAPHQL).get(1);
        Problem fromApi = problems("all.json", API).get(0);
        assertThat(fromApi).usingRecursiveComparison().ignoringFields("topics").isEqualTo(fromGraphQl);
    }

    @Test
    void readsAFlatArrayAndJsonLinesOfTheSameObjects() throws IOException {
        List<Problem> array = problems("questions.json", """
                [{"questionFrontendId": "1", "title": "Two Sum", "titleSlug": "two-sum", "difficulty": "Easy",
                  "topicTags": [{"name": "Array", "slug": "array"}], "paidOnly": false},
                 {"stat": {"question_id": 42, "frontend_question_id": 42, "question__title": "Trapping Rain Water",
                  "question__title_slug": "trapping-rain-water"}, "difficulty": {"level": 3}, "paid_only": false}]
                """);
        assertThat(array).extracting(Problem::id, Problem::slug, Problem::difficulty)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1", "two-sum", "Easy"),
                        org.assertj.core.groups.Tuple.tuple("42", "trapping-rain-water", "Hard"));

        List<Problem> lines = problems("questions.jsonl", """
                {"questionFrontendId": "70", "title": "Climbing Stairs", "titleSlug": "climbing-stairs", "difficulty": "Easy", "topicTags": ["Math", "Dynamic Programming", "Memoization"], "paidOnly": false}
                {"questionFrontendId": "253", "title": "Meeting Rooms II", "titleSlug": "meeting-rooms-ii", "difficulty": "Medium", "topicTags": ["Array", "Sorting", "Heap (Priority Queue)"], "paidOnly": true}
                """);
        assertThat(lines).extracting(Problem::id).containsExactly("70", "253");
        assertThat(lines.get(0).topics()).as("tags as strings").containsExactly("Math", "Dynamic Programming", "Memoization");
        assertThat(lines.get(1).paidOnly()).isTrue();
    }

    @Test
    void takesTheCommonVariants() throws IOException {
        // the V2 list: "id" is LeetCode's internal number, not the problem's; difficulty in capitals
        Problem v2 = problems("v2.json", """
                {"data": {"problemsetQuestionListV2": {"questions": [
                  {"id": 1042, "titleSlug": "minimum-cost-to-merge-stones", "title": "Minimum Cost to Merge Stones",
                   "translatedTitle": null, "questionFrontendId": "1000", "paidOnly": false, "difficulty": "HARD",
                   "topicTags": [{"name": "Array", "slug": "array", "nameTranslated": ""}], "status": "TO_DO",
                   "isInMyFavorites": false, "frequency": null, "acRate": 0.44, "contestPoint": null}
                ], "totalLength": 1, "finishedLength": 0, "hasMore": false}}}
                """).get(0);
        assertThat(v2.id()).isEqualTo("1000");
        assertThat(v2.difficulty()).isEqualTo("Hard");
        assertThat(v2.slug()).isEqualTo("minimum-cost-to-merge-stones");

        // the older allQuestions: isPaidOnly, and questionId beside the frontend id
        List<Problem> all = problems("all-questions.json", """
                {"data": {"allQuestions": [
                  {"questionId": "1", "questionFrontendId": "1", "title": "Two Sum", "titleSlug": "two-sum",
                   "difficulty": "Easy", "isPaidOnly": false, "topicTags": [{"name": "Array", "slug": "array"}]},
                  {"questionId": "1034", "title": "Largest Unique Number", "titleSlug": "largest-unique-number",
                   "difficulty": "Easy", "isPaidOnly": true, "topicTags": null}
                ]}}
                """);
        assertThat(all).extracting(Problem::id).as("questionId when there is no frontend id").containsExactly("1", "1034");
        assertThat(all).extracting(Problem::paidOnly).containsExactly(false, true);

        // what a script kept of problemsetQuestionList; numbers as numbers
        Problem bare = problems("bare.json", """
                {"total": 1, "questions": [{"frontendQuestionId": 3, "title": "Longest Substring Without Repeating Characters",
                  "titleSlug": "longest-substring-without-repeating-characters", "difficulty": "Medium", "paidOnly": false}]}
                """).get(0);
        assertThat(bare.id()).isEqualTo("3");
        assertThat(bare.numericId()).isTrue();

        Problem stringLevel = one("{\"stat\": {\"frontend_question_id\": \"7\", \"question__title\": \"Reverse Integer\"},"
                + " \"difficulty\": {\"level\": \"2\"}, \"paid_only\": \"true\"}");
        assertThat(stringLevel.id()).isEqualTo("7");
        assertThat(stringLevel.difficulty()).isEqualTo("Medium");
        assertThat(stringLevel.slug()).as("made from the title when the list has none").isEqualTo("reverse-integer");
        assertThat(stringLevel.paidOnly()).isTrue();
    }

    @Test
    void keepsIdsThatAreNotNumbersAsText() throws IOException {
        Problem offer = one("{\"questionFrontendId\": \"LCR 001\", \"title\": \"Divide Two Integers\","
                + " \"titleSlug\": \"xoh6Oh\", \"difficulty\": \"Easy\", \"paidOnly\": false}");
        assertThat(offer.id()).isEqualTo("LCR 001");
        assertThat(offer.numericId()).isFalse();
        assertThat(offer.guideFileName()).doesNotContain(" ");
    }

    @Test
    void theOwnFormatReadsAsBefore() throws IOException {
        Problem own = one("{\"id\": \"007\", \"title\": \"Seven\", \"slug\": \"my-seven\", \"difficulty\": \"1\","
                + " \"tags\": [\"A\"], \"companies\": [\"C\"], \"description\": \"D\"}");
        assertThat(own.id()).isEqualTo("007");
        assertThat(own.numericId()).as("an id given as text stays text in the own format").isFalse();
        assertThat(own.difficulty()).as("no levels in the own format").isEqualTo("1");
        assertThat(own.slug()).isEqualTo("my-seven");
        assertThat(own.topics()).containsExactly("A");
        assertThat(own.companies()).containsExactly("C");
        assertThat(own.description()).isEqualTo("D");
        assertThat(own.paidOnly()).isFalse();
        assertThat(one("{\"id\": 5, \"title\": \"Five\", \"paid_only\": true}").paidOnly()).isTrue();
    }

    @Test
    void anEntryWithoutAnyIdIsToldWhereIdsAre() {
        assertThatThrownBy(() -> one("{\"title\": \"Two Sum\", \"titleSlug\": \"two-sum\"}"))
                .isInstanceOf(InvalidProblemException.class)
                .hasMessageContaining("entry #1").hasMessageContaining("\"id\"")
                .hasMessageContaining("\"questionFrontendId\"").hasMessageContaining("\"stat.frontend_question_id\"");
        assertThatThrownBy(() -> one("{\"questionFrontendId\": \"\", \"title\": \"Two Sum\"}"))
                .isInstanceOf(InvalidProblemException.class)
                .hasMessageContaining("no usable id in \"questionFrontendId\"").hasMessageContaining("GraphQL");
        assertThatThrownBy(() -> one("{\"stat\": {\"frontend_question_id\": 9}, \"difficulty\": {\"level\": 1}}"))
                .isInstanceOf(InvalidProblemException.class)
                .hasMessageContaining("id 9").hasMessageContaining("\"stat.question__title\"");
    }

    @Test
    void tellsPaidOnlyEntriesApartWithoutValidatingThem() throws IOException {
        Path file = dir.resolve("api.json");
        Files.writeString(file, API);
        List<Boolean> paid = new ArrayList<>();
        try (ProblemFileReader reader = ProblemFileReader.open(file, "api.json")) {
            reader.forEachRemaining(entry -> paid.add(ProblemFormats.paidOnly(entry.json())));
        }
        assertThat(paid).containsExactly(true, false, false);
        ProblemEntry broken = new ProblemEntry("f.jsonl", 2, null, "line 2 is not valid JSON");
        assertThat(EntrySelection.FREE_ONLY.takes(broken)).as("a broken entry fails where failures are seen").isTrue();
    }
}
