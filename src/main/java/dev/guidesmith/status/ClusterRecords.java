package dev.guidesmith.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the nodes sharing a store tell each other and read of the whole cluster: each node's
 * heartbeat (its role and calls in flight), and every recent job's settled items, counted. Kept in
 * the shared store ({@code store/PostgresClusterRecords}); without one there is no cluster to show.
 */
public interface ClusterRecords {

    /**
     * Records the node as alive now, with what it is doing.
     *
     * @param starting true for the node's first beat since it started: its start time is now
     */
    void beat(NodeBeat beat, boolean starting);

    /** Records that the node stopped on purpose: it is shown as stopped, not lost. */
    void left(String nodeId);

    /**
     * The nodes seen within {@code recent}, and the jobs unfinished or finished within {@code recent},
     * with their items counted and those settled within {@code rateWindow} counted apart.
     */
    Reading read(Duration recent, Duration rateWindow);

    /** What a node says of itself at each beat. */
    record NodeBeat(String id, String role, Map<String, Calls> calls) {
    }

    /** An endpoint's calls on one node: running (or queued at the server) and the slots it may use. */
    record Calls(int inFlight, int slots) {
    }

    /**
     * @param secondsSinceSeen by the store's clock, so the nodes' clocks need not agree
     */
    record NodeRow(String id, String role, boolean stopped, Instant startedAt, Instant lastSeen, double secondsSinceSeen,
                   Map<String, Calls> calls) {
    }

    /**
     * @param node                 the node that accepted the job
     * @param settledRecently      items settled within the rate window
     * @param secondsSinceFirstRecent since the first of those settled (0 when none did)
     */
    record JobRow(String id, String kind, String name, String node, long entries, long done, long alreadyDone, long failed,
                  boolean finished, long settledRecently, double secondsSinceFirstRecent) {

        public long settled() {
            return done + alreadyDone + failed;
        }
    }

    record Reading(List<NodeRow> nodes, List<JobRow> jobs) {
    }
}
