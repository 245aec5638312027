package dev.guidesmith.status;

import dev.guidesmith.jobs.ItemFailure;
import dev.guidesmith.jobs.ItemOutcome;
import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failures as the status page and the run reports need them: the most recent few (newest first;
 * at start, the newest ones earlier runs recorded), and per job of this run how many failed by
 * error class and by stage. Bounded: the recent list keeps {@code keep} failures, and a job's
 * counts go when its report takes them.
 */
public final class FailureLog implements JobListener {

    private final int keep;
    private final Deque<ItemFailure> recent = new ArrayDeque<>();
    private final Map<String, Counts> byJob = new ConcurrentHashMap<>();

    public FailureLog(int keep) {
        this.keep = Math.max(1, keep);
    }

    @Override
    public void itemSettled(Job job, ItemOutcome outcome, ItemFailure failure) {
        if (failure != null) {
            recorded(failure);
        }
    }

    void recorded(ItemFailure failure) {
        synchronized (recent) {
            recent.removeIf(old -> java.util.Objects.equals(old.record(), failure.record()));
            recent.addFirst(failure);
            while (recent.size() > keep) {
                recent.removeLast();
            }
        }
        if (failure.job() != null) {
            byJob.computeIfAbsent(failure.job(), job -> new Counts()).add(failure);
        }
    }

    /** At start: failures earlier runs recorded, oldest first (they show until newer ones push them out). */
    public void seed(List<ItemFailure> oldestFirst) {
        synchronized (recent) {
            for (ItemFailure failure : oldestFirst) {
                recent.addFirst(failure);
                while (recent.size() > keep) {
                    recent.removeLast();
                }
            }
        }
    }

    /** The item succeeded since: it is no longer a failure to show (it still counts in its job's report). */
    @Override
    public void failureCleared(String record) {
        synchronized (recent) {
            for (Iterator<ItemFailure> it = recent.iterator(); it.hasNext(); ) {
                if (record.equals(it.next().record())) {
                    it.remove();
                }
            }
        }
    }

    /** Newest first. */
    public List<ItemFailure> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    /** A job's failure counts, which are forgotten here: the job is over. */
    public Counts takeCounts(String jobId) {
        Counts counts = byJob.remove(jobId);
        return counts == null ? new Counts() : counts;
    }

    /** Failures by error class and by stage, each sorted by name. */
    public static final class Counts {
        private final Map<String, Long> byClass = new TreeMap<>();
        private final Map<String, Long> byStage = new TreeMap<>();

        synchronized void add(ItemFailure failure) {
            byClass.merge(String.valueOf(failure.errorClass()), 1L, Long::sum);
            byStage.merge(String.valueOf(failure.stage()), 1L, Long::sum);
        }

        public synchronized Map<String, Long> byClass() {
            return new TreeMap<>(byClass);
        }

        public synchronized Map<String, Long> byStage() {
            return new TreeMap<>(byStage);
        }
    }
}
