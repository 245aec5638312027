package dev.guidesmith.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which items of one job are settled, durably: {@code <job folder>/items.log}, one line per settled
 * item ({@code <position> <outcome>}), appended as items settle and loaded into a bit set when the
 * job resumes, so a resumed 170,000-item job skips its settled items at a few kilobytes of memory.
 * A torn last line (kill -9 mid-append) is ignored on load: that item simply runs again.
 */
final class ItemLedger implements AutoCloseable {

    static final String FILE = "items.log";
    private static final Pattern LINE = Pattern.compile("(\\d+) (DONE|ALREADY_DONE|FAILED)");

    private final Path file;
    private final BitSet settled = new BitSet();
    private JobCounts counts = JobCounts.NONE;
    private FileChannel log;

    private ItemLedger(Path file) {
        this.file = file;
    }

    /** Opens (and loads) the ledger in a job's folder. */
    static ItemLedger open(Path jobFolder) {
        ItemLedger ledger = new ItemLedger(jobFolder.resolve(FILE));
        ledger.load();
        return ledger;
    }

    private void load() {
        try {
            boolean torn = false;
            if (Files.exists(file)) {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                int end = content.lastIndexOf('\n');
                torn = end < content.length() - 1;
                for (String line : content.substring(0, end + 1).split("\n")) {
                    Matcher settledLine = LINE.matcher(line);
                    if (settledLine.matches()) { // else a line torn by a crash, sealed at the next start
                        mark(Long.parseLong(settledLine.group(1)), ItemOutcome.valueOf(settledLine.group(2)));
                    }
                }
            }
            log = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            if (torn) {
                log.write(ByteBuffer.wrap(new byte[] {'\n'})); // seal a torn line so the next one starts clean
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot read the item ledger " + file.toAbsolutePath() + " (" + e.getMessage()
                    + "): check free disk space and permissions of pipeline.work", e);
        }
    }

    private boolean mark(long position, ItemOutcome outcome) {
        int index = Math.toIntExact(position);
        if (settled.get(index)) {
            return false;
        }
        settled.set(index);
        counts = counts.plus(outcome);
        return true;
    }

    synchronized boolean isSettled(long position) {
        return settled.get(Math.toIntExact(position));
    }

    synchronized JobCounts counts() {
        return counts;
    }

    /**
     * Settles an item, durably.
     *
     * @return the job's counts after it, or null when the item was settled already
     */
    synchronized JobCounts settle(long position, ItemOutcome outcome) {
        if (!mark(position, outcome)) {
            return null;
        }
        try {
            ByteBuffer line = ByteBuffer.wrap((position + " " + outcome.name() + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                log.write(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to " + file.toAbsolutePath() + " (" + e.getMessage()
                    + "): check free disk space", e);
        }
        return counts;
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
