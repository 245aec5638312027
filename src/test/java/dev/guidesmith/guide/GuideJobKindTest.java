package dev.guidesmith.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobEntry;
import dev.guidesmith.jobs.JobKind;
import dev.guidesmith.jobs.RejectedFileException;
import dev.guidesmith.problems.EntrySelection;
import dev.guidesmith.problems.ProblemValidator;
import dev.guidesmith.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a guide job counts and reads its file, paid-only problems left out or not. */
class GuideJobKindTest {

    /** LeetCode's GraphQL list, problems 1 to 10, every third one paid-only. */
    static String graphQl() {
        StringBuilder json = new StringBuilder("{\"data\": {\"problemsetQuestionList\": {\"total\": 10, \"questions\": [");
        for (int id = 1; id <= 10; id++) {
            json.append(id > 1 ? "," : "").append("{\"frontendQuestionId\": \"%d\", \"title\": \"Problem %d\", \"paidOnly\": %b}"
                    .formatted(id, id, id % 3 == 0));
        }
        return json.append("]}}}").toString();
    }

    @TempDir
    Path dir;

    private static GuideJobKind kind(EntrySelection selection) {
        return new GuideJobKind(new ProblemValidator(), null, null, null, selection, null, null); // counting and reading need no more
    }

    private Job accepted(GuideJobKind kind, String content) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("job"));
        Path copy = Files.writeString(folder.resolve("problems.json"), content);
        long entries = kind.count(copy, "leetcode.json");
        return new Job("job", GuideJobKind.NAME, "leetcode.json", copy, entries, "now");
    }

    private static List<Long> positions(GuideJobKind kind, Job job) throws IOException {
        List<Long> positions = new ArrayList<>();
        try (JobKind.Entries entries = kind.entries(job, () -> false)) {
            entries.forEachRemaining((JobEntry entry) -> positions.add(entry.position()));
        }
        return positions;
    }

    @Test
    void keepsPaidOnlyProblemsByDefault() throws IOException {
        GuideJobKind kind = kind(EntrySelection.ALL);
        Job job = accepted(kind, graphQl());
        assertThat(job.entries()).isEqualTo(10);
        assertThat(positions(kind, job)).hasSize(10);
        assertThat(job.folder().resolve(GuideJobKind.SKIPS_PAID_ONLY)).doesNotExist();
    }

    @Test
    void leavesPaidOnlyProblemsOutOfTheJobAndSaysSoOnce() throws IOException {
        GuideJobKind kind = kind(EntrySelection.FREE_ONLY);
        Job job;
        try (LogCapture log = new LogCapture()) {
            job = accepted(kind, graphQl());
            assertThat(log.text()).containsOnlyOnce("left out").contains("leetcode.json: 3 paid-only problem(s) left out of 10")
                    .contains("pipeline.input.skip-paid-only=true");
        }
        assertThat(job.entries()).isEqualTo(7);
        assertThat(positions(kind, job)).as("their places in the file").containsExactly(1L, 2L, 4L, 5L, 7L, 8L, 10L);
    }

    @Test
    void aJobReadsAsItWasCountedWhateverTheSettingSaysAfterARestart() throws IOException {
        Job skipping = accepted(kind(EntrySelection.FREE_ONLY), graphQl());
        assertThat(positions(kind(EntrySelection.ALL), skipping)).hasSize(7);

        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Job keeping = new Job("other", GuideJobKind.NAME, "all.json",
                Files.writeString(other.resolve("problems.json"), graphQl()), kind(EntrySelection.ALL).count(
                        other.resolve("problems.json"), "all.json"), "now");
        assertThat(positions(kind(EntrySelection.FREE_ONLY), keeping)).hasSize(10);
    }

    @Test
    void aFileOfOnlyPaidOnlyProblemsIsRejectedSayingWhy() throws IOException {
        Path file = Files.writeString(dir.resolve("premium.json"),
                "[{\"questionFrontendId\": \"156\", \"title\": \"Binary Tree Upside Down\", \"paidOnly\": true}]");
        assertThatThrownBy(() -> kind(EntrySelection.FREE_ONLY).count(file, "premium.json"))
                .isInstanceOf(RejectedFileException.class)
                .hasMessageContaining("premium.json holds only paid-only problems (1)")
                .hasMessageContaining("pipeline.input.skip-paid-only");
        assertThat(kind(EntrySelection.ALL).count(file, "premium.json")).isEqualTo(1);
    }
}
