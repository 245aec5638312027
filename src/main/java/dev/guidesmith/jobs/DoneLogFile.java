package dev.guidesmith.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Done keys of one node: an append-only file, {@code <work>/done.log}, loaded into a hash set at
 * start, so checking a key is O(1) however many problems a run holds (Camel's
 * FileIdempotentRepository rescans its file for every key). A torn last line (kill -9 mid-append)
 * is ignored on load.
 */
public final class DoneLogFile implements DoneKeys {

    private final Path file;
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private FileChannel log;

    public DoneLogFile(Path file) {
        this.file = file;
    }

    @Override
    public synchronized void open() {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.exists(file)) {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                int end = content.lastIndexOf('\n');
                for (String key : content.substring(0, end + 1).split("\n")) {
                    if (!key.isEmpty()) {
                        done.add(key);
                    }
                }
            }
            log = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            if (log.size() > 0 && !endsWithNewline()) {
                log.write(ByteBuffer.wrap(new byte[] {'\n'})); // seal a torn line so the next key starts clean
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private boolean endsWithNewline() throws IOException {
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            reader.read(last, reader.size() - 1);
            return last.get(0) == '\n';
        }
    }

    @Override
    public boolean contains(String key) {
        return done.contains(key);
    }

    @Override
    public void add(String key) {
        if (done.add(key)) {
            append(key);
        }
    }

    @Override
    public long count() {
        return done.size();
    }

    private synchronized void append(String key) {
        try {
            ByteBuffer line = ByteBuffer.wrap((key + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                log.write(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to " + file.toAbsolutePath() + " (" + e.getMessage()
                    + "): check free disk space", e);
        }
    }

    @Override
    public synchronized void clear() {
        done.clear();
        try {
            log.truncate(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (log != null && log.isOpen()) {
                log.force(true);
                log.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
