package dev.guidesmith.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Adds up a batch's results, row by row, into its {@link BatchSummary}. */
final class BatchSummaries {

    static final int BINS = 10;

    private final Map<String, double[]> values = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final Map<String, Long> errors = new TreeMap<>();
    private long answered;
    private long failed;
    private long pending;
    private long promptTokens;
    private long cachedTokens;
    private long outputTokens;

    BatchSummaries(List<String> numericFields) {
        numericFields.forEach(field -> {
            values.put(field, new double[64]);
            counts.put(field, 0);
        });
    }

    void pending() {
        pending++;
    }

    void failed(String code) {
        failed++;
        errors.merge(code, 1L, Long::sum);
    }

    void answered(long prompt, long cached, long output) {
        answered++;
        promptTokens += prompt;
        cachedTokens += cached;
        outputTokens += output;
    }

    /** A numeric answer field's value (only fields the schema types as numbers are summed up). */
    void value(String field, double value) {
        double[] kept = values.get(field);
        if (kept == null || Double.isNaN(value)) {
            return;
        }
        int count = counts.get(field);
        if (count == kept.length) {
            kept = Arrays.copyOf(kept, kept.length * 2);
            values.put(field, kept);
        }
        kept[count] = value;
        counts.put(field, count + 1);
    }

    BatchSummary result() {
        Map<String, BatchSummary.Distribution> fields = new LinkedHashMap<>();
        values.forEach((field, kept) -> {
            int count = counts.get(field);
            if (count > 0) {
                fields.put(field, distribution(Arrays.copyOf(kept, count)));
            }
        });
        return new BatchSummary(answered, failed, pending, promptTokens, cachedTokens, outputTokens, errors, fields);
    }

    static BatchSummary.Distribution distribution(double[] sorted) {
        Arrays.sort(sorted);
        double min = sorted[0];
        double max = sorted[sorted.length - 1];
        List<BatchSummary.Bin> histogram = new ArrayList<>();
        int bins = max == min ? 1 : BINS;
        double width = max == min ? 1 : (max - min) / bins;
        long[] inBin = new long[bins];
        for (double value : sorted) {
            inBin[Math.min(bins - 1, (int) ((value - min) / width))]++;
        }
        for (int i = 0; i < bins; i++) {
            histogram.add(new BatchSummary.Bin(min + i * width, i == bins - 1 ? max : min + (i + 1) * width, inBin[i]));
        }
        return new BatchSummary.Distribution(sorted.length, min, quantile(sorted, 0.25), quantile(sorted, 0.5),
                quantile(sorted, 0.75), max, histogram);
    }

    /** Linear interpolation between the closest ranks. */
    private static double quantile(double[] sorted, double q) {
        double rank = q * (sorted.length - 1);
        int low = (int) Math.floor(rank);
        int high = (int) Math.ceil(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
