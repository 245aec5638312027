package dev.guidesmith.jobs;

import dev.guidesmith.support.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which items of a job wait on a queue that outlives this process. On SEDA (in memory) none do: a
 * restart sends every unsettled item again. On a broker (pipeline.queue=jms) an item sent stays
 * there until it is settled, so a resumed job must not send it a second time, or two copies of it
 * would run. A job's items are sent in file order, one at a time, so one number per job says which
 * ones are on the broker: the position of the last one sent, kept in the job's folder.
 */
public final class QueuedItems {

    private static final String MARK = "sent.position";

    private final boolean durable;

    private QueuedItems(boolean durable) {
        this.durable = durable;
    }

    /** Queues in this process: nothing queued survives a restart. */
    public static QueuedItems inMemory() {
        return new QueuedItems(false);
    }

    /** Queues on a broker: what was sent is still there after a restart, until it is settled. */
    public static QueuedItems onBroker() {
        return new QueuedItems(true);
    }

    public boolean durable() {
        return durable;
    }

    /**
     * Every item of the job up to {@code position} is on the queue. Recorded after the send, so a
     * crash in between sends one item again rather than losing it.
     */
    void sent(Job job, long position) {
        if (!durable) {
            return;
        }
        try {
            AtomicFiles.writeString(job.folder().resolve(MARK), Long.toString(position));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record the items of " + job + " sent to the broker in "
                    + job.folder() + " (" + e.getMessage() + "): check free disk space and permissions of pipeline.work", e);
        }
    }

    /** The position of the job's last item on the queue, or -1 when none is. */
    long lastSent(Job job) {
        Path mark = job.folder().resolve(MARK);
        if (!durable || !Files.exists(mark)) {
            return -1;
        }
        try {
            return Long.parseLong(Files.readString(mark).trim());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("Cannot read " + mark + " (" + e.getMessage() + "): delete it to send the"
                    + " job's unsettled items again (those still on the broker will then run twice)", e);
        }
    }
}
