package dev.guidesmith.problems;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;

/**
 * Streams the entries of a problems file one at a time, so a file of any size is never in memory
 * whole: a {@code .json} file holding an array, or an object with the array where one of
 * {@link ProblemFormats} keeps it ({@code problems}, LeetCode's
 * {@code data.problemsetQuestionList.questions}, {@code stat_status_pairs}, ...), read with
 * Jackson's streaming parser; or a {@code .jsonl} file with one problem per line (a bad line is a
 * bad entry, the other lines go on). Which format an entry is in is {@link ProblemValidator}'s to tell.
 */
public final class ProblemFileReader implements Iterator<ProblemEntry>, Closeable {

    /** Bounds what one entry may hold, so a hostile file cannot exhaust memory. */
    static final int MAX_ENTRY_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(MAX_ENTRY_BYTES)
                            .maxNestingDepth(64)
                            .build())
                    .build())
            .build();

    private final String fileName;
    private final EntrySource source;
    private final BooleanSupplier stopped;
    private ProblemEntry next;
    private long position;
    /** Set at the end of the entries and on close: from then on the stream is not touched again. */
    private boolean exhausted;

    private ProblemFileReader(String fileName, EntrySource source, BooleanSupplier stopped) {
        this.fileName = fileName;
        this.source = source;
        this.stopped = stopped;
    }

    /** Opens a problems file; the caller must close the reader. */
    public static ProblemFileReader open(Path file, String displayName) throws IOException {
        return open(file, displayName, () -> false);
    }

    /**
     * Opens a problems file whose entries end early once {@code stopped} says so; the caller must
     * close the reader.
     */
    public static ProblemFileReader open(Path file, String displayName, BooleanSupplier stopped) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            EntrySource source = isJsonLines(file) ? new JsonLinesSource(in) : new JsonArraySource(MAPPER.createParser(in));
            return new ProblemFileReader(displayName, source, stopped);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    public static boolean isJsonLines(Path file) {
        return file.getFileName().toString().toLowerCase().endsWith(".jsonl");
    }

    @Override
    public boolean hasNext() {
        if (next == null && !exhausted && stopped.getAsBoolean()) {
            exhausted = true;
        }
        if (next == null && !exhausted) {
            try {
                next = source.next(fileName, position + 1);
            } catch (IOException e) {
                throw new UncheckedIOException(malformed(e), e);
            }
            if (next != null) {
                position = next.position();
            } else {
                exhausted = true;
            }
        }
        return next != null;
    }

    @Override
    public ProblemEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ProblemEntry entry = next;
        next = null;
        return entry;
    }

    @Override
    public void close() throws IOException {
        exhausted = true;
        next = null;
        source.close();
    }

    private String malformed(IOException e) {
        String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        String at = e instanceof JsonProcessingException jpe && jpe.getLocation() != null
                ? " at line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr()
                : "";
        return fileName + " is not valid JSON" + at + ": " + detail;
    }

    private interface EntrySource extends Closeable {
        ProblemEntry next(String file, long position) throws IOException;
    }

    /** A JSON array, or an object holding the array where one of the formats keeps its list. */
    private static final class JsonArraySource implements EntrySource {
        /** Where the formats keep their lists in a top-level object ({@code problems}, {@code data...questions}). */
        private static final List<List<String>> LIST_PATHS = ProblemFormats.ALL.stream()
                .flatMap(format -> format.listSteps().stream()).toList();

        private final JsonParser parser;
        private boolean inArray;
        private boolean finished;

        JsonArraySource(JsonParser parser) {
            this.parser = parser;
        }

        @Override
        public ProblemEntry next(String file, long position) throws IOException {
            if (finished) {
                return null;
            }
            if (!inArray) {
                enterArray(file);
            }
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY || token == null) {
                finished = true;
                return null;
            }
            JsonNode node = MAPPER.readTree(parser);
            return new ProblemEntry(file, position, node, null);
        }

        private void enterArray(String file) throws IOException {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new NotAProblemListException(file + " is empty: expected a JSON array of problems");
            }
            if (first == JsonToken.START_OBJECT) {
                if (!seekList(LIST_PATHS, 0)) {
                    throw new NotAProblemListException(file + " holds a JSON object without a \"problems\" array or a"
                            + " LeetCode list of questions: expected " + ProblemFormats.accepted());
                }
                inArray = true;
                return;
            }
            if (first != JsonToken.START_ARRAY) {
                throw new NotAProblemListException(file + " holds a single JSON " + describe(first)
                        + ": expected " + ProblemFormats.accepted());
            }
            inArray = true;
        }

        /**
         * Streams through the object the parser is in up to the first array on one of the paths,
         * leaving the parser at its start; descends only into objects on a path and skips all else,
         * so whatever comes before the list (LeetCode's counts, a user name) costs no memory.
         *
         * @param paths the paths still open here, as field names
         * @param depth how many of their names lie behind
         * @return whether an array was found (else the parser is at this object's end)
         */
        private boolean seekList(List<List<String>> paths, int depth) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                List<List<String>> onPath = paths.stream().filter(path -> path.get(depth).equals(field)).toList();
                boolean ends = onPath.stream().anyMatch(path -> path.size() == depth + 1);
                if (ends && value == JsonToken.START_ARRAY) {
                    return true;
                }
                List<List<String>> deeper = onPath.stream().filter(path -> path.size() > depth + 1).toList();
                if (!deeper.isEmpty() && value == JsonToken.START_OBJECT) {
                    if (seekList(deeper, depth + 1)) {
                        return true;
                    }
                    continue; // the object ended without the list: go on with its siblings
                }
                parser.skipChildren();
            }
            return false;
        }

        private static String describe(JsonToken token) {
            return switch (token) {
                case VALUE_STRING -> "string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
                case VALUE_TRUE, VALUE_FALSE -> "boolean";
                case VALUE_NULL -> "null";
                default -> token.asString() == null ? token.name() : token.asString();
            };
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    /** One JSON value per line; blank lines are skipped, a line that is not JSON is a bad entry. */
    private static final class JsonLinesSource implements EntrySource {
        private final InputStream in;
        private long lineNumber;
        private long lastLineLength;
        private boolean sawAnyEntry;

        JsonLinesSource(InputStream in) {
            this.in = in;
        }

        @Override
        public ProblemEntry next(String file, long ignored) throws IOException {
            while (true) {
                byte[] line = readLine();
                if (line == null) {
                    if (!sawAnyEntry) {
                        throw new NotAProblemListException(file + " is empty: expected one JSON problem per line");
                    }
                    return null;
                }
                lineNumber++;
                if (isBlank(line)) {
                    continue;
                }
                sawAnyEntry = true;
                if (lastLineLength > MAX_ENTRY_BYTES) {
                    return new ProblemEntry(file, lineNumber, null,
                            "line " + lineNumber + " is " + lastLineLength + " bytes, over the limit of " + MAX_ENTRY_BYTES);
                }
                try {
                    return new ProblemEntry(file, lineNumber, MAPPER.readTree(line), null);
                } catch (JsonProcessingException e) {
                    return new ProblemEntry(file, lineNumber, null,
                            "line " + lineNumber + " is not valid JSON: " + e.getOriginalMessage());
                }
            }
        }

        /** Reads up to the next newline; of an over-long line only the first bytes are kept. */
        private byte[] readLine() throws IOException {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
            long length = 0;
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (length++ < MAX_ENTRY_BYTES) {
                    buffer.write(b);
                }
            }
            lastLineLength = length;
            return b == -1 && length == 0 ? null : buffer.toByteArray();
        }

        private static boolean isBlank(byte[] line) {
            for (byte b : line) {
                if (!Character.isWhitespace(b)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
