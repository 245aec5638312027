package dev.guidesmith.status;

import dev.guidesmith.jobs.FailureRecorder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The failures of this run as the status page and the run reports need them: the most recent few
 * (newest first), and per job how many failed by error class and by stage. Bounded: the recent
 * list keeps {@code keep} records, and a job's counts go when its report takes them.
 */
public final class FailureLog implements FailureRecorder.Listener {

    private final int keep;
    private final Deque<FailureRecorder.Recorded> recent = new ArrayDeque<>();
    private final Map<String, Counts> byJob = new ConcurrentHashMap<>();

    public FailureLog(int keep) {
        this.keep = Math.max(1, keep);
    }

    @Override
    public void recorded(FailureRecorder.Recorded failure) {
        synchronized (recent) {
            recent.removeIf(old -> old.record().equals(failure.record()));
            recent.addFirst(failure);
            while (recent.size() > keep) {
                recent.removeLast();
            }
        }
        if (failure.job() != null) {
            byJob.computeIfAbsent(failure.job(), job -> new Counts()).add(failure);
        }
    }

    /** The problem has its guide now: it is no longer a failure to show (it still counts in its job's report). */
    @Override
    public void cleared(String record) {
        synchronized (recent) {
            for (Iterator<FailureRecorder.Recorded> it = recent.iterator(); it.hasNext(); ) {
                if (it.next().record().equals(record)) {
                    it.remove();
                }
            }
        }
    }

    /** Newest first. */
    public List<FailureRecorder.Recorded> recent() {
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

        synchronized void add(FailureRecorder.Recorded failure) {
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
