package dev.guidesmith.stages;

import java.util.List;

/**
 * How a guide came through its checks, carried to the render step in the {@link WorkItem}: plain
 * data, small (a failure's message is shortened), so it crosses a broker with the item.
 *
 * @param passed      the checks that passed at once
 * @param repaired    the checks that failed at first and passed after their stage was asked again
 * @param failed      the checks still failing after the repairs: the guide needs review
 * @param skipped     the checks that had nothing to check in this guide (no such code in it)
 * @param repairCalls how many times a stage was asked again for this guide
 */
public record CheckOutcome(List<String> passed, List<String> repaired, List<Failed> failed, List<String> skipped,
                           int repairCalls) {

    /** A check that still fails, and what its tool said last. */
    public record Failed(String check, String message) {
    }

    public CheckOutcome {
        passed = List.copyOf(passed);
        repaired = List.copyOf(repaired);
        failed = List.copyOf(failed);
        skipped = List.copyOf(skipped);
    }

    /** Every check that ran passed, at once or after a repair. */
    public boolean ok() {
        return failed.isEmpty();
    }

    public List<String> failedChecks() {
        return failed.stream().map(Failed::check).toList();
    }
}
