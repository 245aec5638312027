package dev.guidesmith.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which problems are finished, by done key (see {@code Fingerprinter}): an append-only file,
 * {@code <work>/done.log}, loaded into a hash set at start, so checking a key is O(1) however many
 * problems a run holds (Camel's FileIdempotentRepository rescans its file for every key).
 * Problems being worked on are claimed in memory only: after a crash they are simply not done.
 * A torn last line (kill -9 mid-append) is ignored on load.
 */
public final class DoneRegistry implements AutoCloseable {

    private final Path file;
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    /** Problems being worked on: id → done key. */
    private final Map<String, String> claimed = new ConcurrentHashMap<>();
    private FileChannel log;

    public DoneRegistry(Path file) {
        this.file = file;
    }

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

    public boolean isDone(String key) {
        return done.contains(key);
    }

    /**
     * Claims a problem for this run.
     *
     * @return false when it is done already, or the same problem is being worked on (a duplicate)
     * @throws ConflictingProblemException when another version of the problem (same id, other
     *         content) is being worked on: two guides would race for one file
     */
    public boolean claim(String key) {
        if (done.contains(key)) {
            return false;
        }
        String id = idOf(key);
        String current = claimed.putIfAbsent(id, key);
        if (current == null) {
            return true;
        }
        if (current.equals(key)) {
            return false;
        }
        throw new ConflictingProblemException(id);
    }

    public boolean isClaimedOrDone(String key) {
        return done.contains(key) || key.equals(claimed.get(idOf(key)));
    }

    private static String idOf(String key) {
        int at = key.lastIndexOf('@');
        return at < 0 ? key : key.substring(0, at);
    }

    /** The problem's guide is written: remember it durably and release the claim. */
    public void markDone(String key) {
        if (done.add(key)) {
            append(key);
        }
        claimed.remove(idOf(key), key);
    }

    /** The problem failed (or was abandoned): release the claim so a later drop can try again. */
    public void release(String key) {
        claimed.remove(idOf(key), key);
    }

    public int doneCount() {
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

    /** Forgets everything (tests, and a user's explicit reset). */
    public synchronized void clear() {
        done.clear();
        claimed.clear();
        try {
            log.truncate(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (log != null) {
                log.force(true);
                log.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
