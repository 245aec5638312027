package dev.guidesmith.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as {@code /status} shows it: the shared store's reading of the nodes and the jobs,
 * made into states (up, lost, stopped), rates and ETAs. Status pages poll, so one reading serves
 * every request for {@code cacheFor}; a store that cannot be read gives a cluster that says why,
 * and the rest of the status still answers.
 */
public final class ClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);

    private final ClusterRecords records;
    private final Duration lostAfter;
    private final Duration recent;
    private final Duration rateWindow;
    private final long cacheNanos;
    private RunStatus.Cluster cached;
    private long readAt;
    private boolean failing;

    /**
     * @param lostAfter  a node not heard from for this long (and not stopped on purpose) is lost
     * @param recent     finished jobs, and nodes gone, are listed this long
     * @param rateWindow items settled in this window make a job's rate
     * @param cacheFor   one reading serves every request for this long
     */
    public ClusterView(ClusterRecords records, Duration lostAfter, Duration recent, Duration rateWindow, Duration cacheFor) {
        this.records = records;
        this.lostAfter = lostAfter;
        this.recent = recent;
        this.rateWindow = rateWindow;
        this.cacheNanos = cacheFor.toNanos();
    }

    public synchronized RunStatus.Cluster current() {
        long now = System.nanoTime();
        if (cached == null || now - readAt >= cacheNanos) {
            cached = read();
            readAt = System.nanoTime();
        }
        return cached;
    }

    private RunStatus.Cluster read() {
        ClusterRecords.Reading reading;
        try {
            reading = records.read(recent, rateWindow);
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("The status page shows no cluster until the shared store answers again: {}", e.getMessage());
                failing = true;
            }
            return new RunStatus.Cluster(0, 0, 0, 0, 0, 0, 0, 0, null, List.of(), List.of(), e.getMessage());
        }
        if (failing) {
            LOG.info("The shared store answers again: the status page shows the cluster");
            failing = false;
        }
        return of(reading);
    }

    private RunStatus.Cluster of(ClusterRecords.Reading reading) {
        List<RunStatus.ClusterNode> nodes = new ArrayList<>();
        int up = 0;
        int lost = 0;
        for (ClusterRecords.NodeRow row : reading.nodes()) {
            String state = state(row);
            up += state.equals("up") ? 1 : 0;
            lost += state.equals("lost") ? 1 : 0;
            int inFlight = row.calls().values().stream().mapToInt(ClusterRecords.Calls::inFlight).sum();
            int slots = row.calls().values().stream().mapToInt(ClusterRecords.Calls::slots).sum();
            nodes.add(new RunStatus.ClusterNode(row.id(), row.role(), state, row.startedAt().toString(),
                    row.lastSeen().toString(), round(row.secondsSinceSeen()), inFlight, slots, row.calls()));
        }
        List<RunStatus.ClusterJob> jobs = new ArrayList<>();
        long total = 0;
        long done = 0;
        long failed = 0;
        double perMinute = 0;
        for (ClusterRecords.JobRow row : reading.jobs()) {
            double rate = row.finished() ? 0 : perMinute(row);
            Duration eta = JobRates.eta(row.entries() - row.settled(), rate);
            jobs.add(new RunStatus.ClusterJob(row.id(), row.kind(), row.name(), row.node(), row.entries(), row.done(),
                    row.alreadyDone(), row.failed(), row.settled(), row.finished(), round(rate),
                    eta == null ? null : eta.toSeconds()));
            total += row.entries();
            done += row.done() + row.alreadyDone();
            failed += row.failed();
            perMinute += rate;
        }
        long settled = done + failed;
        long remaining = Math.max(0, total - settled);
        Duration eta = JobRates.eta(remaining, perMinute);
        return new RunStatus.Cluster(up, lost, total, done, failed, settled, remaining, round(perMinute),
                eta == null ? null : eta.toSeconds(), nodes, jobs, null);
    }

    private String state(ClusterRecords.NodeRow row) {
        if (row.stopped()) {
            return "stopped";
        }
        return row.secondsSinceSeen() * 1000 > lostAfter.toMillis() ? "lost" : "up";
    }

    /**
     * Items per minute over the rate window: the n settled in it span the time from the first of
     * them to now, n - 1 intervals (so a first item alone makes no rate, and a job that stalls slows).
     */
    static double perMinute(ClusterRecords.JobRow row) {
        if (row.settledRecently() < 2 || row.secondsSinceFirstRecent() <= 0) {
            return 0;
        }
        return (row.settledRecently() - 1) * 60.0 / row.secondsSinceFirstRecent();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
