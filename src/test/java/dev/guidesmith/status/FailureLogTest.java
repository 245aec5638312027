package dev.guidesmith.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.jobs.FailureRecorder;
import org.junit.jupiter.api.Test;

/** The status page's recent failures: newest first, bounded, and without problems that have their guide now. */
class FailureLogTest {

    private static FailureRecorder.Recorded failure(String id, String job) {
        return new FailureRecorder.Recorded(id, job, "solutions", "TRUNCATED", "cut off at max-tokens", "2026-01-01T00:00:0" + id + "Z");
    }

    @Test
    void keepsTheNewestFailuresNewestFirst() {
        FailureLog log = new FailureLog(3);
        for (int i = 1; i <= 5; i++) {
            log.recorded(failure(Integer.toString(i), "job"));
        }
        assertThat(log.recent()).extracting(FailureRecorder.Recorded::record).containsExactly("5", "4", "3");

        log.recorded(failure("4", "job")); // failed again: listed once, as the newest
        assertThat(log.recent()).extracting(FailureRecorder.Recorded::record).containsExactly("4", "5", "3");

        log.cleared("5"); // its guide was written after all
        assertThat(log.recent()).extracting(FailureRecorder.Recorded::record).containsExactly("4", "3");
    }

    @Test
    void countsPerJobUntilItsReportTakesThem() {
        FailureLog log = new FailureLog(3);
        log.recorded(failure("1", "a"));
        log.recorded(failure("2", "a"));
        log.recorded(failure("3", "b"));
        log.cleared("1"); // still failed once in job a

        assertThat(log.takeCounts("a").byClass()).containsEntry("TRUNCATED", 2L);
        assertThat(log.takeCounts("a").byClass()).as("taken").isEmpty();
        assertThat(log.takeCounts("b").byStage()).containsEntry("solutions", 1L);
    }
}
