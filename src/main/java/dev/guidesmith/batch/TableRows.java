package dev.guidesmith.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.support.Json;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Streams the rows of a table, one at a time: a CSV with a header row (quoted fields, commas and
 * newlines in cells, read by Apache Commons CSV), or a JSONL file of objects. Every value is text,
 * as a template sees it; a JSONL value that is not text is its JSON.
 */
final class TableRows implements Iterator<TableRows.Row>, Closeable {

    /** @param number the row's number among the data rows (1 for the first) */
    record Row(long number, Map<String, String> values) {
    }

    private final List<String> columns;
    private final Iterator<Row> rows;
    private final Closeable source;

    private TableRows(List<String> columns, Iterator<Row> rows, Closeable source) {
        this.columns = columns;
        this.rows = rows;
        this.source = source;
    }

    static boolean isJsonLines(Path table) {
        return table.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl");
    }

    static TableRows open(Path table) throws IOException {
        return isJsonLines(table) ? jsonLines(table) : csv(table);
    }

    private static TableRows csv(Path table) throws IOException {
        CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(false).get()
                .parse(Files.newBufferedReader(table, StandardCharsets.UTF_8));
        List<String> columns = new ArrayList<>(parser.getHeaderNames());
        Iterator<CSVRecord> records = parser.iterator();
        Iterator<Row> rows = new Iterator<>() {
            private long number;

            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public Row next() {
                CSVRecord record = records.next();
                Map<String, String> values = new LinkedHashMap<>();
                for (String column : columns) {
                    values.put(column, record.isSet(column) ? record.get(column) : "");
                }
                return new Row(++number, values);
            }
        };
        return new TableRows(columns, rows, parser);
    }

    private static TableRows jsonLines(Path table) throws IOException {
        BufferedReader reader = Files.newBufferedReader(table, StandardCharsets.UTF_8);
        List<String> columns = new ArrayList<>();
        Iterator<Row> rows = new Iterator<>() {
            private long number;
            private Row next = read();

            private Row read() {
                try {
                    String line;
                    while ((line = reader.readLine()) != null && line.isBlank()) {
                        // blank lines hold no row
                    }
                    if (line == null) {
                        return null;
                    }
                    JsonNode object = Json.MAPPER.readTree(line);
                    if (!object.isObject()) {
                        throw new IllegalArgumentException("row " + (number + 1) + " is not a JSON object");
                    }
                    Map<String, String> values = new LinkedHashMap<>();
                    object.fields().forEachRemaining(field -> values.put(field.getKey(),
                            field.getValue().isTextual() ? field.getValue().asText() : Json.compact(field.getValue())));
                    values.keySet().stream().filter(key -> !columns.contains(key)).forEach(columns::add);
                    return new Row(++number, values);
                } catch (IOException e) {
                    throw new UncheckedIOException("row " + (number + 1) + ": " + e.getMessage(), e);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Row next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Row row = next;
                next = read();
                return row;
            }
        };
        return new TableRows(columns, rows, reader);
    }

    /** The table's columns: a CSV's header; for JSONL, the keys seen so far (the first row's, at first). */
    List<String> columns() {
        return columns;
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
