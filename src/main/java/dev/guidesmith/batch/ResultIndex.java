package dev.guidesmith.batch;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Where each request's result line is in a batch's result files, by the request's position: 9
 * bytes a request (an offset and which file), so the results table can be written in input order
 * without holding the answers in memory, then each line is read back by its offset.
 */
final class ResultIndex implements AutoCloseable {

    private static final byte NONE = 0;
    private static final byte OUTPUT = 1;
    private static final byte ERRORS = 2;

    private long[] offsets = new long[1024];
    private byte[] files = new byte[1024];
    private final FileChannel output;
    private final FileChannel errors;

    private ResultIndex(FileChannel output, FileChannel errors) {
        this.output = output;
        this.errors = errors;
    }

    /** Reads both files through once; only whole lines count (one being written is left for later). */
    static ResultIndex of(Path outputFile, Path errorFile) throws IOException {
        ResultIndex index = new ResultIndex(open(outputFile), open(errorFile));
        index.scan(outputFile, OUTPUT);
        index.scan(errorFile, ERRORS);
        return index;
    }

    private static FileChannel open(Path file) throws IOException {
        return Files.exists(file) ? FileChannel.open(file, StandardOpenOption.READ) : null;
    }

    private void scan(Path file, byte which) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] head = new byte[256];
            long offset = 0;
            long lineStart = 0;
            int headLength = 0;
            int b;
            while ((b = in.read()) != -1) {
                offset++;
                if (b == '\n') {
                    long position = positionIn(new String(head, 0, headLength, StandardCharsets.UTF_8));
                    if (position > 0) {
                        put(position, lineStart, which);
                    }
                    lineStart = offset;
                    headLength = 0;
                } else if (headLength < head.length) {
                    head[headLength++] = (byte) b;
                }
            }
        }
    }

    /** A line starts {@code {"id":"batch_req_<job>_<position>"}: the position, or 0 when the line is not one. */
    private static long positionIn(String head) {
        int start = head.indexOf("\"batch_req_");
        int end = start < 0 ? -1 : head.indexOf('"', start + 1);
        if (end < 0) {
            return 0;
        }
        try {
            return BatchResults.positionOf(head.substring(start + 1, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void put(long position, long offset, byte which) {
        int index = Math.toIntExact(position);
        if (index >= offsets.length) {
            int size = Math.max(index + 1, offsets.length * 2);
            offsets = Arrays.copyOf(offsets, size);
            files = Arrays.copyOf(files, size);
        }
        offsets[index] = offset;
        files[index] = which;
    }

    /** The result line of the request at this position, or null when it has none yet. */
    String line(long position) throws IOException {
        int index = Math.toIntExact(position);
        if (index >= files.length || files[index] == NONE) {
            return null;
        }
        FileChannel channel = files[index] == OUTPUT ? output : errors;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        long at = offsets[index];
        int read;
        while ((read = channel.read(buffer.clear(), at)) > 0) {
            buffer.flip();
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
            at += read;
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        if (output != null) {
            output.close();
        }
        if (errors != null) {
            errors.close();
        }
    }
}
