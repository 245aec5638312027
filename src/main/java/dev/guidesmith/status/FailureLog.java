package dev.guidesmith.status;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.jobs.FailureRecorder;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures as the status page and the run reports need them: the most recent few (newest first;
 * at start, the newest records in the failed folder), and per job of this run how many failed by
 * error class and by stage. Bounded: the recent
 * list keeps {@code keep} records, and a job's counts go when its report takes them.
 */
public final class FailureLog implements FailureRecorder.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(FailureLog.class);

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

    /**
     * At start: the newest records an earlier run left in the failed folder, so a restarted
     * service does not show "no failures" beside a folder full of them. Reads only those records.
     */
    public void loadNewest(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        record Found(Path file, FileTime modified) {
        }
        PriorityQueue<Found> newest = new PriorityQueue<>(Comparator.comparing(Found::modified));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
            for (Path file : files) {
                if (file.getFileName().toString().startsWith(".")) {
                    continue;
                }
                newest.add(new Found(file, Files.getLastModifiedTime(file)));
                if (newest.size() > keep) {
                    newest.poll();
                }
            }
        } catch (IOException e) {
            LOG.debug("Cannot list the failure records in {}: {}", folder, e.getMessage());
            return;
        }
        List<Found> oldestFirst = new ArrayList<>();
        while (!newest.isEmpty()) {
            oldestFirst.add(newest.poll());
        }
        for (Found found : oldestFirst) {
            String name = found.file().getFileName().toString();
            try {
                JsonNode failure = Json.MAPPER.readTree(found.file().toFile()).path("failure");
                synchronized (recent) {
                    recent.addFirst(new FailureRecorder.Recorded(name.substring(0, name.length() - ".json".length()),
                            text(failure, "job"), text(failure, "stage"), text(failure, "errorClass"),
                            failure.path("attempts").asInt(1), text(failure, "message"),
                            failure.hasNonNull("time") ? failure.get("time").asText() : found.modified().toInstant().toString()));
                }
            } catch (IOException e) {
                LOG.debug("Skipping the unreadable failure record {}: {}", found.file(), e.getMessage());
            }
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
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
