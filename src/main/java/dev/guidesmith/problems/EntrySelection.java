package dev.guidesmith.problems;

/**
 * Which entries of a problems file a guide job takes: all of them, or all but those the input marks
 * paid-only ({@code pipeline.input.skip-paid-only}). An entry that cannot be read is always taken,
 * so it fails where users look for failures instead of vanishing.
 */
public enum EntrySelection {
    ALL,
    FREE_ONLY;

    public static EntrySelection skippingPaidOnly(boolean skip) {
        return skip ? FREE_ONLY : ALL;
    }

    public boolean takes(ProblemEntry entry) {
        return this == ALL || entry.parseError() != null || !ProblemFormats.paidOnly(entry.json());
    }
}
