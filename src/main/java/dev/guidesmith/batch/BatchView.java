package dev.guidesmith.batch;

/**
 * A batch as it is now: its record, with the counts and usage of its job while it runs (its record
 * keeps them once it ended).
 */
public record BatchView(BatchRecord record, long total, long completed, long failed, BatchUsage usage) {
}
