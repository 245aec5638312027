package dev.guidesmith.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.guide.FrontMatterReader;
import dev.guidesmith.testing.GuideAssertions;
import dev.guidesmith.testing.LogCapture;
import dev.guidesmith.testing.SimOllama;
import dev.guidesmith.testkit.InJvmService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LeetCode's own lists dropped into the inbox of the real service, as a user saved them: the
 * GraphQL problemsetQuestionList and the older /api/problems/all/ become guides whose front matter
 * carries the list's slug, difficulty, topics and paid-only mark; with
 * {@code pipeline.input.skip-paid-only=true} the paid-only problems are left out of the job.
 */
class LeetCodeListsTest {

    static final String GRAPHQL = """
            {"data": {"problemsetQuestionList": {"total": 3, "questions": [
              {"acRate": 51.07, "difficulty": "Easy", "freqBar": null, "frontendQuestionId": "1", "isFavor": false,
               "paidOnly": false, "status": null, "title": "Two Sum", "titleSlug": "two-sum",
               "topicTags": [{"name": "Array", "id": "VG9waWNUYWdOb2RlOjU=", "slug": "array"},
                             {"name": "Hash Table", "id": "VG9waWNUYWdOb2RlOjY=", "slug": "hash-table"}],
               "hasSolution": true, "hasVideoSolution": true},
              {"acRate": 62.3, "difficulty": "Medium", "freqBar": null, "frontendQuestionId": "156", "isFavor": false,
               "paidOnly": true, "status": null, "title": "Binary Tree Upside Down", "titleSlug": "binary-tree-upside-down",
               "topicTags": ["Tree", "Depth-First Search", "Binary Tree"], "hasSolution": true, "hasVideoSolution": false},
              {"acRate": 63.9, "difficulty": "Hard", "freqBar": null, "frontendQuestionId": "42", "isFavor": false,
               "paidOnly": false, "status": null, "title": "Trapping Rain Water", "titleSlug": "trapping-rain-water",
               "topicTags": [{"name": "Array", "slug": "array"}, {"name": "Two Pointers", "slug": "two-pointers"}],
               "hasSolution": true, "hasVideoSolution": true}
            ]}}}
            """;

    static final String API = """
            {"user_name": "", "num_solved": 0, "num_total": 3, "ac_easy": 0, "ac_medium": 0, "ac_hard": 0,
             "stat_status_pairs": [
              {"stat": {"question_id": 253, "question__article__live": null, "question__article__slug": null,
                        "question__title": "Meeting Rooms II", "question__title_slug": "meeting-rooms-ii",
                        "question__hide": false, "total_acs": 800000, "total_submitted": 1500000,
                        "frontend_question_id": 253, "is_new_question": false},
               "status": null, "difficulty": {"level": 2}, "paid_only": true, "is_favor": false, "frequency": 0, "progress": 0},
              {"stat": {"question_id": 70, "question__article__live": true, "question__article__slug": "climbing-stairs",
                        "question__title": "Climbing Stairs", "question__title_slug": "climbing-stairs",
                        "question__hide": false, "total_acs": 3000000, "total_submitted": 5800000,
                        "frontend_question_id": 70, "is_new_question": false},
               "status": null, "difficulty": {"level": 1}, "paid_only": false, "is_favor": false, "frequency": 0, "progress": 0},
              {"stat": {"question_id": 4, "question__article__live": true, "question__article__slug": "median-of-two-sorted-arrays",
                        "question__title": "Median of Two Sorted Arrays", "question__title_slug": "median-of-two-sorted-arrays",
                        "question__hide": false, "total_acs": 2500000, "total_submitted": 6400000,
                        "frontend_question_id": 4, "is_new_question": false},
               "status": null, "difficulty": {"level": 3}, "paid_only": false, "is_favor": false, "frequency": 0, "progress": 0}
            ],
             "frequency_high": 0, "frequency_mid": 0, "category_slug": "all"}
            """;

    @TempDir
    Path dir;

    private SimOllama box;

    @BeforeEach
    void startServer() {
        box = SimOllama.start("box");
    }

    @AfterEach
    void stopServer() {
        box.close();
    }

    private static Map<String, Object> frontMatter(InJvmService service, String id) throws Exception {
        Path guide = service.output().resolve("question_" + id + ".md");
        GuideAssertions.assertComplete(guide);
        return FrontMatterReader.read(guide);
    }

    @Test
    void bothListsBecomeGuidesWithTheirMetadata() throws Exception {
        try (InJvmService service = InJvmService.start(dir, box.fleet())) {
            service.drop(GRAPHQL, "problemset-questions.json");
            service.drop(API, "problems-all.json");
            service.awaitSettled("problemset-questions.json", Duration.ofMinutes(2));
            service.awaitSettled("problems-all.json", Duration.ofMinutes(2));

            assertThat(service.failureCount()).isZero();
            assertThat(service.guideCount()).isEqualTo(6);

            Map<String, Object> twoSum = frontMatter(service, "1");
            assertThat(twoSum).containsEntry("id", 1).containsEntry("title", "Two Sum").containsEntry("slug", "two-sum")
                    .containsEntry("difficulty", "Easy").containsEntry("topics", List.of("Array", "Hash Table"))
                    .doesNotContainKey("paid_only");
            Map<String, Object> upsideDown = frontMatter(service, "156");
            assertThat(upsideDown).containsEntry("slug", "binary-tree-upside-down").containsEntry("difficulty", "Medium")
                    .containsEntry("topics", List.of("Tree", "Depth-First Search", "Binary Tree"))
                    .containsEntry("paid_only", true);
            assertThat(frontMatter(service, "42")).containsEntry("difficulty", "Hard")
                    .containsEntry("topics", List.of("Array", "Two Pointers")).doesNotContainKey("paid_only");

            Map<String, Object> meetingRooms = frontMatter(service, "253");
            assertThat(meetingRooms).containsEntry("id", 253).containsEntry("title", "Meeting Rooms II")
                    .containsEntry("slug", "meeting-rooms-ii").containsEntry("difficulty", "Medium")
                    .containsEntry("paid_only", true);
            assertThat(frontMatter(service, "70")).containsEntry("slug", "climbing-stairs").containsEntry("difficulty", "Easy")
                    .doesNotContainKey("paid_only");
            assertThat(frontMatter(service, "4")).containsEntry("slug", "median-of-two-sorted-arrays")
                    .containsEntry("difficulty", "Hard").doesNotContainKey("paid_only");
        }
    }

    @Test
    void paidOnlyProblemsCanBeLeftOutOfTheJob() throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(box.fleet());
        settings.put("pipeline.input.skip-paid-only", "true");
        try (LogCapture log = new LogCapture(); InJvmService service = InJvmService.start(dir, settings)) {
            service.drop(GRAPHQL, "problemset-questions.json");
            service.awaitSettled("problemset-questions.json", Duration.ofMinutes(2));
            service.drop(API, "problems-all.json");
            service.awaitSettled("problems-all.json", Duration.ofMinutes(2));

            assertThat(service.guides()).extracting(guide -> guide.getFileName().toString()).containsExactly(
                    "question_1.md", "question_4.md", "question_42.md", "question_70.md");
            assertThat(service.failureCount()).as("left out, not failed").isZero();
            assertThat(service.status().path("total").asLong()).as("not counted in the jobs").isEqualTo(4);
            assertThat(log.text())
                    .contains("problemset-questions.json: 1 paid-only problem(s) left out of 3 (pipeline.input.skip-paid-only=true)")
                    .contains("problems-all.json: 1 paid-only problem(s) left out of 3");
        }
    }
}
