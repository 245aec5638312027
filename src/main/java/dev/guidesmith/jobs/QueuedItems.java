package dev.guidesmith.jobs;

/**
 * Which items of a job wait on a queue that outlives this process. On SEDA (in memory) none do: a
 * restart sends every unsettled item again. On a broker (pipeline.queue=jms) an item sent stays
 * there until it is settled, so a resumed job must not send it a second time, or two copies of it
 * would run. A job's items are sent in file order, one at a time, so one number per job says which
 * ones are on the broker: the position of the last one sent, kept by the job store
 * ({@link JobStore#markSent}) where a node that resumes the job finds it.
 */
public final class QueuedItems {

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
}
