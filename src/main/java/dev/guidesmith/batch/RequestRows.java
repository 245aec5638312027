package dev.guidesmith.batch;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A batch's requests in input order, as its results table lists them: for a job file, its table's
 * rows and columns, and its schema's fields as the answer's columns; for a batch file, each
 * request's custom_id, and the answer as one column.
 */
final class RequestRows implements Iterator<RequestRows.Row>, Closeable {

    /** @param position the request's position in the batch (its line) */
    record Row(long position, List<String> inputValues) {
    }

    private final List<String> inputColumns;
    private final List<String> answerColumns;
    private final List<String> numericAnswerFields;
    private final Iterator<Row> rows;
    private final Closeable source;

    private RequestRows(List<String> inputColumns, List<String> answerColumns, List<String> numericAnswerFields,
                        Iterator<Row> rows, Closeable source) {
        this.inputColumns = inputColumns;
        this.answerColumns = answerColumns;
        this.numericAnswerFields = numericAnswerFields;
        this.rows = rows;
        this.source = source;
    }

    static RequestRows of(Path jobFolder) throws IOException {
        Path jobFile = jobFolder.resolve(BatchJobKind.JOB_FILE);
        if (Files.exists(jobFile)) {
            return fromTable(jobFolder, BatchJobFile.read(jobFile, BatchJobKind.JOB_FILE));
        }
        BatchLines lines = BatchLines.open(jobFolder.resolve(BatchJobKind.REQUESTS), () -> false);
        Iterator<Row> rows = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return lines.hasNext();
            }

            @Override
            public Row next() {
                BatchLines.Line line = lines.next();
                return new Row(line.number(), List.of(line.request() == null ? "" : line.request().customId()));
            }
        };
        return new RequestRows(List.of("custom_id"), List.of("answer"), List.of(), rows, lines);
    }

    private static RequestRows fromTable(Path jobFolder, BatchJobFile job) throws IOException {
        Path table = Files.exists(jobFolder.resolve(BatchJobKind.TABLE_CSV)) ? jobFolder.resolve(BatchJobKind.TABLE_CSV)
                : jobFolder.resolve(BatchJobKind.TABLE_JSONL);
        TableRows tableRows = TableRows.open(table);
        List<String> answers = new ArrayList<>();
        List<String> numeric = new ArrayList<>();
        JsonNode properties = job.schema() == null ? null : job.schema().path("properties");
        if (properties != null && properties.isObject() && properties.size() > 0) {
            properties.fields().forEachRemaining(field -> {
                answers.add(field.getKey());
                String type = field.getValue().path("type").asText("");
                if (type.equals("number") || type.equals("integer")) {
                    numeric.add(field.getKey());
                }
            });
        } else {
            answers.add("answer");
        }
        // a JSONL table's columns are its first row's (the reader reads it ahead)
        List<String> columns = List.copyOf(tableRows.columns());
        Iterator<Row> rows = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return tableRows.hasNext();
            }

            @Override
            public Row next() {
                TableRows.Row row = tableRows.next();
                List<String> values = new ArrayList<>();
                columns.forEach(column -> values.add(row.values().getOrDefault(column, "")));
                return new Row(row.number(), values);
            }
        };
        return new RequestRows(columns, answers, numeric, rows, tableRows);
    }

    List<String> inputColumns() {
        return inputColumns;
    }

    List<String> answerColumns() {
        return answerColumns;
    }

    /** Whether the answer is JSON whose fields are the answer's columns (a job file with a schema). */
    boolean schemaAnswers() {
        return !answerColumns.equals(List.of("answer"));
    }

    List<String> numericAnswerFields() {
        return numericAnswerFields;
    }

    @Override
    public boolean hasNext() {
        return rows.hasNext();
    }

    @Override
    public Row next() {
        return rows.next();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
