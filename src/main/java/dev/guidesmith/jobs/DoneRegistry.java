package dev.guidesmith.jobs;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which problems are finished, by done key (see {@code Fingerprinter}), kept durably by
 * {@link DoneKeys} (a local file, or a database shared by several nodes). Problems being worked on
 * are claimed in memory only: after a crash they are simply not done.
 */
public final class DoneRegistry implements AutoCloseable {

    private final DoneKeys keys;
    /** Problems being worked on: id → done key. */
    private final Map<String, String> claimed = new ConcurrentHashMap<>();

    public DoneRegistry(DoneKeys keys) {
        this.keys = keys;
    }

    /** One node's registry: the done log file. */
    public DoneRegistry(Path file) {
        this(new DoneLogFile(file));
    }

    public void open() {
        keys.open();
    }

    public boolean isDone(String key) {
        return keys.contains(key);
    }

    /**
     * Claims a problem for this run.
     *
     * @return false when it is done already, or the same problem is being worked on (a duplicate)
     * @throws ConflictingProblemException when another version of the problem (same id, other
     *         content) is being worked on: two guides would race for one file
     */
    public boolean claim(String key) {
        if (keys.contains(key)) {
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
        return key.equals(claimed.get(idOf(key))) || keys.contains(key);
    }

    private static String idOf(String key) {
        int at = key.lastIndexOf('@');
        return at < 0 ? key : key.substring(0, at);
    }

    /** The problem's guide is written: remember it durably and release the claim. */
    public void markDone(String key) {
        keys.add(key);
        claimed.remove(idOf(key), key);
    }

    /** The problem failed (or was abandoned): release the claim so a later drop can try again. */
    public void release(String key) {
        claimed.remove(idOf(key), key);
    }

    public long doneCount() {
        return keys.count();
    }

    /** Forgets everything (tests, and a user's explicit reset). */
    public void clear() {
        claimed.clear();
        keys.clear();
    }

    @Override
    public void close() {
        keys.close();
    }
}
