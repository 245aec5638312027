package dev.guidesmith.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.guide.FailureRecorder;
import dev.guidesmith.jobs.ItemFailure;
import dev.guidesmith.jobs.JobEvents;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status page's recent failures: newest first, bounded, and without items that succeeded since. */
class FailureLogTest {

    private static ItemFailure failure(String id, String job) {
        return new ItemFailure(job, Long.parseLong(id), id, id, "solutions", "TRUNCATED", "cut off at max-tokens", 1, List.of(),
                "2026-01-01T00:00:0" + id + "Z");
    }

    @Test
    void keepsTheNewestFailuresNewestFirst() {
        FailureLog log = new FailureLog(3);
        for (int i = 1; i <= 5; i++) {
            log.recorded(failure(Integer.toString(i), "job"));
        }
        assertThat(log.recent()).extracting(ItemFailure::record).containsExactly("5", "4", "3");

        log.recorded(failure("4", "job")); // failed again: listed once, as the newest
        assertThat(log.recent()).extracting(ItemFailure::record).containsExactly("4", "5", "3");

        log.failureCleared("5"); // its guide was written after all
        assertThat(log.recent()).extracting(ItemFailure::record).containsExactly("4", "3");
    }

    @Test
    void countsPerJobUntilItsReportTakesThem() {
        FailureLog log = new FailureLog(3);
        log.recorded(failure("1", "a"));
        log.recorded(failure("2", "a"));
        log.recorded(failure("3", "b"));
        log.failureCleared("1"); // still failed once in job a

        assertThat(log.takeCounts("a").byClass()).containsEntry("TRUNCATED", 2L);
        assertThat(log.takeCounts("a").byClass()).as("taken").isEmpty();
        assertThat(log.takeCounts("b").byStage()).containsEntry("solutions", 1L);
    }

    @Test
    void aRestartShowsTheNewestRecordsAnEarlierRunLeft(@TempDir Path failed) throws Exception {
        for (int i = 1; i <= 5; i++) {
            Path record = Files.writeString(failed.resolve("10" + i + ".json"), """
                    {"problems": [{"id": 10%d, "title": "T"}],
                     "failure": {"stage": "solutions", "errorClass": "TIMEOUT", "message": "no byte for 180 s", "job": "j",
                                 "time": "2026-01-0%dT00:00:00Z"}}
                    """.formatted(i, i));
            Files.setLastModifiedTime(record, FileTime.from(Instant.parse("2026-01-0" + i + "T00:00:00Z")));
        }
        Files.writeString(failed.resolve("broken.json"), "{not json");
        Files.setLastModifiedTime(failed.resolve("broken.json"), FileTime.from(Instant.parse("2025-01-01T00:00:00Z")));

        FailureLog log = new FailureLog(3);
        log.seed(new FailureRecorder(failed, new JobEvents()).newest(3));

        assertThat(log.recent()).extracting(ItemFailure::record).containsExactly("105", "104", "103");
        assertThat(log.recent().get(0)).isEqualTo(new ItemFailure("j", 0, "105", "105", "solutions", "TIMEOUT",
                "no byte for 180 s", 1, List.of(), "2026-01-05T00:00:00Z"));
        assertThat(log.takeCounts("j").byClass()).as("earlier runs are not this run's jobs").isEmpty();
    }
}
