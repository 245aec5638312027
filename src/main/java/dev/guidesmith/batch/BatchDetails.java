package dev.guidesmith.batch;

import com.samskivert.mustache.Template;
import dev.guidesmith.jobs.Job;
import dev.guidesmith.status.JobDetails;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A batch's summary where users look: live on the status page while it runs (as of its table's
 * last rewrite), and as the "Answers" section of its run report (from its summary file), laid out
 * by {@code routes/templates/batch-summary.md.mustache}.
 */
public final class BatchDetails implements JobDetails {

    static final int BAR = 30;

    private final BatchTables tables;
    private final BatchRecords records;
    private final Path folder;
    private final Template template;

    public BatchDetails(BatchTables tables, BatchRecords records, Path folder, Template template) {
        this.tables = tables;
        this.records = records;
        this.folder = folder;
        this.template = template;
    }

    @Override
    public Optional<Object> live(String jobId) {
        return tables.summary(jobId).map(summary -> summary);
    }

    @Override
    public Optional<ReportSection> report(Job job) {
        Optional<BatchRecord> record = records.forJob(job.id());
        if (record.isEmpty() || record.get().outputFile == null) {
            return Optional.empty();
        }
        String stem = record.get().outputFile.substring(0, record.get().outputFile.length() - ".output.jsonl".length());
        Path file = folder.resolve(stem + ".summary.json");
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            BatchSummary summary = Json.MAPPER.readValue(file.toFile(), BatchSummary.class);
            return Optional.of(new ReportSection(template.execute(view(summary)).strip() + "\n", summary));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Map<String, Object> view(BatchSummary summary) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("answered", count(summary.answered()));
        view.put("failed", count(summary.failed()));
        view.put("pending", count(summary.pending()));
        view.put("promptTokens", count(summary.promptTokens()));
        view.put("cachedTokens", count(summary.cachedTokens()));
        view.put("cachedShare", summary.promptTokens() == 0 ? "–"
                : String.format(Locale.ROOT, "%.0f%%", 100.0 * summary.cachedTokens() / summary.promptTokens()));
        view.put("outputTokens", count(summary.outputTokens()));
        List<Map<String, Object>> errors = new ArrayList<>();
        summary.errorsByCode().forEach((code, n) -> errors.add(Map.of("code", code, "count", count(n))));
        view.put("errors", errors);
        view.put("anyErrors", !errors.isEmpty());
        List<Map<String, Object>> fields = new ArrayList<>();
        summary.fields().forEach((name, d) -> {
            long most = d.histogram().stream().mapToLong(BatchSummary.Bin::count).max().orElse(1);
            List<Map<String, Object>> bins = new ArrayList<>();
            for (BatchSummary.Bin bin : d.histogram()) {
                bins.add(Map.of("from", number(bin.from()), "to", number(bin.to()), "count", count(bin.count()),
                        "bar", "█".repeat((int) Math.round(BAR * bin.count() / (double) Math.max(1, most)))));
            }
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("name", name);
            field.put("count", count(d.count()));
            field.put("min", number(d.min()));
            field.put("q1", number(d.q1()));
            field.put("median", number(d.median()));
            field.put("q3", number(d.q3()));
            field.put("max", number(d.max()));
            field.put("bins", bins);
            fields.add(field);
        });
        view.put("fields", fields);
        return view;
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
