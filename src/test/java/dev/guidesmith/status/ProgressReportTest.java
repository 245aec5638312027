package dev.guidesmith.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The progress line's counts add up: what is done, what failed, and what share is settled. */
class ProgressReportTest {

    private static Progress.Snapshot snapshot(long total, long written, long alreadyDone, long failed) {
        return new Progress.Snapshot(total, written, alreadyDone, failed, 0, Duration.ofMinutes(1));
    }

    @Test
    void failuresAreSettledButNotDone() {
        assertThat(ProgressReport.summary(snapshot(50, 48, 0, 2)))
                .startsWith("48/50 done, 2 failed (100% settled), 0 to go, ");
        assertThat(ProgressReport.summary(snapshot(3, 0, 0, 2)))
                .startsWith("0/3 done, 2 failed (66% settled), 1 to go, ");
    }

    @Test
    void theSettledShareReaches100OnlyWhenEverythingIsSettled() {
        assertThat(ProgressReport.summary(snapshot(1000, 995, 0, 4))).contains("(99% settled), 1 to go");
    }

    @Test
    void problemsFoundDoneAlreadyCountAsDone() {
        assertThat(ProgressReport.summary(snapshot(23, 16, 5, 2)))
                .startsWith("21/23 done (5 found done already), 2 failed (100% settled), 0 to go, ");
    }

    @Test
    void anIdleServiceHasNoShareToShow() {
        assertThat(ProgressReport.summary(snapshot(0, 0, 0, 0))).startsWith("0/0 done, 0 failed, 0 to go, 0.0/min");
    }

    @Test
    void onceAllIsSettledAndIdleTheDecayingRateIsNoNews() {
        Progress.Snapshot settled = new Progress.Snapshot(21, 21, 0, 0, 20.4, Duration.ofMinutes(1));
        Progress.Snapshot later = new Progress.Snapshot(21, 21, 0, 0, 18.9, Duration.ofMinutes(1));
        String line = ProgressReport.summary(settled) + ", 0/5 calls in flight";
        String laterLine = ProgressReport.summary(later) + ", 0/5 calls in flight";
        assertThat(laterLine).isNotEqualTo(line);
        assertThat(ProgressReport.news(later, 0, laterLine)).isEqualTo(ProgressReport.news(settled, 0, line));

        Progress.Snapshot running = new Progress.Snapshot(21, 20, 0, 0, 20.4, Duration.ofMinutes(1));
        Progress.Snapshot slower = new Progress.Snapshot(21, 20, 0, 0, 18.9, Duration.ofMinutes(1));
        assertThat(ProgressReport.news(slower, 1, ProgressReport.summary(slower)))
                .as("while work remains, the rate and ETA are news").isNotEqualTo(ProgressReport.news(running, 1,
                        ProgressReport.summary(running)));
    }
}
