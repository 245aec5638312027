package dev.guidesmith.jobs;

import dev.guidesmith.support.StopSignal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs of every kind through their items' states: a job begins (or resumes, skipping what is
 * settled), its entries are planned into items by its kind, admitted into the pipeline as room
 * allows, and settled one by one; when the last one settles, the job is finished. Each step is a
 * call here, made by the routes, so nothing depends on a Camel exchange finishing.
 */
public final class JobEngine {

    private static final Logger LOG = LoggerFactory.getLogger(JobEngine.class);

    private final JobStore store;
    private final JobKinds kinds;
    private final ItemStore items;
    private final AdmissionWindow window;
    private final JobEvents events;
    private final StopSignal stop;
    private final QueuedItems queued;
    private final AdmissionOrder order;
    private final Map<String, Job> active = new ConcurrentHashMap<>();
    /** Accepted, not begun yet (a job begins when the split is free for it, or when its first item settles). */
    private final Map<String, Job> waiting = new ConcurrentHashMap<>();
    /** Settled to the last item, its end being told. */
    private final Set<String> finishing = ConcurrentHashMap.newKeySet();

    private static final JobKind.Entries NONE = new JobKind.Entries() {
        @Override
        public boolean hasNext() {
            return false;
        }

        @Override
        public JobEntry next() {
            throw new NoSuchElementException();
        }

        @Override
        public void close() {
        }
    };

    /** Admits entries in file order. */
    public JobEngine(JobStore store, JobKinds kinds, ItemStore items, AdmissionWindow window, JobEvents events,
                     StopSignal stop) {
        this(store, kinds, items, window, events, stop, QueuedItems.inMemory(), AdmissionOrder.FILE);
    }

    public JobEngine(JobStore store, JobKinds kinds, ItemStore items, AdmissionWindow window, JobEvents events,
                     StopSignal stop, QueuedItems queued) {
        this(store, kinds, items, window, events, stop, queued, AdmissionOrder.FILE);
    }

    public JobEngine(JobStore store, JobKinds kinds, ItemStore items, AdmissionWindow window, JobEvents events,
                     StopSignal stop, AdmissionOrder order) {
        this(store, kinds, items, window, events, stop, QueuedItems.inMemory(), order);
    }

    /**
     * @param order how a job's entries are admitted; on a broker always in file order, since a resumed
     *              job skips the items an earlier run sent by their position (the last one sent)
     */
    public JobEngine(JobStore store, JobKinds kinds, ItemStore items, AdmissionWindow window, JobEvents events,
                     StopSignal stop, QueuedItems queued, AdmissionOrder order) {
        this.queued = queued;
        this.order = queued.durable() ? AdmissionOrder.FILE : order;
        this.store = store;
        this.kinds = kinds;
        this.items = items;
        this.window = window;
        this.events = events;
        this.stop = stop;
    }

    /**
     * Takes a file from the inbox as a durable job of the kind that reads it; it is under way from
     * now on, though it begins when its turn comes.
     *
     * @throws RejectedFileException when no kind can use the file
     */
    public synchronized Job accept(String path, String name) {
        Job job = store.accept(path, name);
        waiting.put(job.id(), job);
        return job;
    }

    /**
     * The jobs an earlier run (or a node that died) left unfinished, oldest first: under way again
     * from now on. Jobs under way here already are left out: a node that leads again looks again.
     * (Synchronized with {@link #accept}: a job being accepted is not unfinished yet.)
     */
    public synchronized List<Job> unfinished() {
        List<Job> jobs = new ArrayList<>(store.unfinished());
        jobs.removeIf(job -> active.containsKey(job.id()) || waiting.containsKey(job.id()) || finishing.contains(job.id()));
        jobs.forEach(job -> waiting.put(job.id(), job));
        return jobs;
    }

    /**
     * A job starts, or resumes where an earlier run left it. It is under way (its items may settle)
     * only once its kind has recovered what an earlier run left: an item settling meanwhile would
     * write to result files the recovery is about to replace.
     */
    public synchronized Job begin(Job job) {
        if (active.containsKey(job.id())) {
            return job;
        }
        items.open(job);
        kinds.of(job).recover(job, (position, outcome) -> items.settle(new Recovered(job.id(), position), outcome));
        JobCounts before = items.counts(job.id());
        active.put(job.id(), job);
        waiting.remove(job.id());
        if (before.settled() > 0) {
            LOG.info("Resuming {}: {} of its items were settled before ({} done, {} failed)", job, before.settled(),
                    before.done() + before.alreadyDone(), before.failed());
        } else {
            LOG.info("Starting {}", job);
        }
        events.jobStarted(job, before);
        if (before.settled() >= job.entries()) {
            finish(job, before); // settled to the last item before a crash, but not yet moved away
        }
        return job;
    }

    /**
     * The job's entries that are not settled yet, streamed, in the admission order; the caller
     * (Camel's splitter) closes them.
     */
    public ItemStream entries(Job job) throws IOException {
        if (!active.containsKey(job.id())) {
            return AdmissionOrder.FILE.arrange(job, null, NONE); // it finished as it began: every item was settled before
        }
        JobKind kind = kinds.of(job);
        // on a broker, the items an earlier run sent are still there: they are not sent again
        long sentBefore = queued.durable() ? store.lastSent(job) : -1;
        return order.arrange(job, kind, unsettled(kind.entries(job, stop::isRaised), sentBefore));
    }

    /** Leaves out the entries an earlier run settled, or sent to a broker that still holds them. */
    private JobKind.Entries unsettled(JobKind.Entries all, long sentBefore) {
        return new JobKind.Entries() {
            private JobEntry next;

            @Override
            public boolean hasNext() {
                while (next == null && all.hasNext()) {
                    JobEntry entry = all.next();
                    if (entry.position() > sentBefore && !items.isSettled(entry.job(), entry.position())) {
                        next = entry;
                    }
                }
                return next != null;
            }

            @Override
            public JobEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                JobEntry entry = next;
                next = null;
                return entry;
            }

            @Override
            public void close() throws IOException {
                all.close();
            }
        };
    }

    /**
     * The item an entry becomes, by its job's kind; throws for an entry that is not a usable item.
     * An item the longest-first look-ahead planned already passes as it is.
     */
    public ItemRef plan(ItemRef item) {
        if (!(item instanceof JobEntry entry)) {
            return item;
        }
        return kinds.of(job(entry.job())).plan(job(entry.job()), entry);
    }

    /** Waits for room in the pipeline, then lets the item in. */
    public ItemRef admit(ItemRef item) throws InterruptedException {
        window.enter();
        items.admit(item);
        return item;
    }

    /** The item is on its kind's first queue (on a broker, it stays there until it is settled). */
    public ItemRef sent(ItemRef item) {
        Job job = active.get(item.job());
        // an item settled on the way (already done) may have finished its job: nothing to record then
        if (queued.durable() && job != null) {
            store.markSent(job, item.position());
        }
        return item;
    }

    /**
     * The item reached a step of its kind's route, on whichever node took it from the queue (with
     * several nodes on a broker, mostly not the one that runs its job).
     */
    public void advance(ItemRef item, String stage) {
        items.advance(item, stage);
    }

    /**
     * The item reached the step that settles it, which runs where its job runs (the leader, with
     * several nodes). A job accepted or taken up here but not begun yet (its turn at the split has
     * not come) begins now, so its items can settle.
     *
     * @throws JobNotResumedException when it came back from the broker before its job was taken up
     *         here: its settlement would have no job to count in yet
     */
    public void arrive(ItemRef item, String step) {
        if (queued.durable() && !active.containsKey(item.job())) {
            Job accepted = waiting.get(item.job());
            if (accepted != null) {
                begin(accepted);
            } else if (store.isUnfinished(item.job())) {
                throw new JobNotResumedException(item);
            }
        }
        items.advance(item, step);
    }

    /** Whether what is sent to the pipeline's queues outlives this node (they are on a broker). */
    public boolean queuesOutliveNode() {
        return queued.durable();
    }

    /**
     * Whether an item of this job settles on this node: its job runs here. On a broker, an item that
     * failed on another node is sent to the job's node to be recorded there.
     */
    public boolean settlesHere(String job) {
        return !queued.durable() || active.containsKey(job) || waiting.containsKey(job) || finishing.contains(job);
    }

    /** The item's result is written by this run. */
    public void done(ItemRef item) {
        settle(item, ItemOutcome.DONE, null);
    }

    /** The item's result existed already. */
    public void alreadyDone(ItemRef item) {
        settle(item, ItemOutcome.ALREADY_DONE, null);
    }

    /** The item failed: its kind records why, then it is settled. */
    public void failed(ItemRef item, Throwable error, ItemFailure failure) {
        ItemFailure recorded = kinds.of(job(item.job())).recordFailure(item, error, failure);
        settle(item, ItemOutcome.FAILED, recorded);
    }

    private void settle(ItemRef item, ItemOutcome outcome, ItemFailure failure) {
        ItemStore.Settlement settlement = items.settle(item, outcome);
        if (settlement.admitted()) {
            window.leave();
        }
        if (!settlement.settledNow()) {
            return;
        }
        Job job = job(item.job());
        events.itemSettled(job, outcome, failure);
        if (settlement.counts().settled() == job.entries()) {
            finish(job, settlement.counts());
        }
    }

    private void finish(Job job, JobCounts counts) {
        if (!active.remove(job.id(), job)) {
            return;
        }
        // still under way until its end is told: its report, its result files, its index
        finishing.add(job.id());
        try {
            items.close(job);
            Job finished = job.movedTo(store.finish(job, counts));
            LOG.info("Finished {}: {} done, {} already done, {} failed{}", job, counts.done(), counts.alreadyDone(),
                    counts.failed(), counts.failed() > 0 ? " (see the failed folder of pipeline.work)" : "");
            events.jobFinished(finished, counts);
        } finally {
            finishing.remove(job.id());
        }
    }

    private Job job(String id) {
        Job job = active.get(id);
        if (job == null) {
            throw new IllegalStateException("Job " + id + " is not under way");
        }
        return job;
    }

    /** A job under way, with its counts so far; empty when it is not under way (finished, or not begun). */
    public java.util.Optional<JobStatus> status(String jobId) {
        Job job = active.get(jobId);
        return job == null ? java.util.Optional.empty() : java.util.Optional.of(JobStatus.of(job, items.counts(jobId)));
    }

    /** The jobs under way, oldest first, with their counts so far. */
    public List<JobStatus> underWay() {
        return active.values().stream().sorted(java.util.Comparator.comparing(Job::id))
                .map(job -> JobStatus.of(job, items.counts(job.id()))).toList();
    }

    /** An item a job kind found finished before a crash. */
    private record Recovered(String job, long position) implements ItemRef {
        @Override
        public String stage() {
            return "recovered";
        }
    }

    /** Jobs accepted and not finished: begun, waiting for their turn, or having their end told. */
    public int activeJobs() {
        return active.size() + waiting.size() + finishing.size();
    }

    /** Items in the pipeline now, by step. */
    public Map<String, Integer> inFlightByStage() {
        return items.inFlightByStage();
    }
}
