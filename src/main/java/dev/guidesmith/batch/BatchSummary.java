package dev.guidesmith.batch;

import java.util.List;
import java.util.Map;

/**
 * What a batch's answers came to: how many, their tokens, its errors by code, and for each numeric
 * answer field its distribution.
 *
 * @param pending     requests without a line yet
 * @param errorsByCode failed requests by their error's code (or the server's status code)
 * @param fields      each numeric answer field's distribution, by field name
 */
public record BatchSummary(long answered, long failed, long pending, long promptTokens, long cachedTokens, long outputTokens,
                           Map<String, Long> errorsByCode, Map<String, Distribution> fields) {

    /**
     * @param histogram counts in equal-width bins from min to max
     */
    public record Distribution(long count, double min, double q1, double median, double q3, double max, List<Bin> histogram) {
    }

    /** Values in [from, to) (the last bin includes its upper end). */
    public record Bin(double from, double to, long count) {
    }
}
