package dev.guidesmith.bench;

import dev.guidesmith.jobs.JobFolders;
import dev.guidesmith.jobs.JobKinds;
import dev.guidesmith.status.ClusterRecords;
import dev.guidesmith.store.PostgresClusterRecords;
import dev.guidesmith.store.PostgresItemStore;
import dev.guidesmith.store.PostgresJobStore;
import dev.guidesmith.store.SharedStore;
import dev.guidesmith.store.StoreSettings;
import dev.guidesmith.testkit.PostgresServer;
import dev.guidesmith.testkit.ScratchFolder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What one reading of the cluster costs (the nodes, and the GROUP BY over the listed jobs' items
 * that {@code /status} makes at most every {@code pipeline.status.cluster.cache-ms}), against a
 * local PostgreSQL (started from the machine's installation like the tests', fsync on) holding the
 * history of a long-lived cluster: finished jobs' items, which the reading must not touch, and one
 * running job of each given size, half its items settled within the rate window.
 *
 * <pre>
 * java -cp target/guidesmith.jar dev.guidesmith.bench.ClusterStatusBenchmark [running job sizes] [finished items] [readings]
 * </pre>
 * Defaults: running jobs of 3,600 and 170,000 items, 1,000,000 items of 200 finished jobs, 50 readings
 * per size. Prints milliseconds per reading (median and slowest) for each size.
 */
public final class ClusterStatusBenchmark {

    private static final Duration RECENT = Duration.ofMinutes(60);
    private static final Duration RATE_WINDOW = Duration.ofMinutes(10);

    private ClusterStatusBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Long> sizes = args.length > 0 ? Arrays.stream(args[0].split(",")).map(Long::parseLong).toList()
                : List.of(3_600L, 170_000L);
        long finishedItems = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
        int readings = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        if (!PostgresServer.available()) {
            System.out.println("Skipped: " + PostgresServer.whyUnavailable());
            return;
        }
        try (PostgresServer server = PostgresServer.start(true); // fsync on, as a real server
             ScratchFolder scratch = new ScratchFolder("guidesmith-cluster-bench-")) {
            StoreSettings settings = new StoreSettings(server.newDatabase(), PostgresServer.USER, "", 4,
                    Duration.ofSeconds(10), Duration.ofSeconds(2));
            try (SharedStore store = SharedStore.open(settings, "bench")) {
                // the tables, as every node makes them at start
                new PostgresJobStore(store, new JobFolders(scratch.path().resolve("jobs"), new JobKinds(List.of())), "bench");
                new PostgresItemStore(store, "bench");
                ClusterRecords records = new PostgresClusterRecords(store);
                for (int node = 1; node <= 4; node++) {
                    records.beat(new ClusterRecords.NodeBeat("node-" + node, node == 1 ? "leader" : "standby",
                            Map.of("gpu", new ClusterRecords.Calls(4, 4), "cpu", new ClusterRecords.Calls(2, 2))), true);
                }
                int finishedJobs = 200;
                for (int job = 0; job < finishedJobs; job++) {
                    addJob(store, "finished-" + job, finishedItems / finishedJobs, "now() - interval '1 day'",
                            "interval '1 day'");
                }
                System.out.println();
                System.out.println("Cluster status benchmark: " + readings + " readings per row, " + finishedItems
                        + " items of " + finishedJobs + " finished jobs in guidesmith_items, 4 nodes");
                for (long size : sizes) {
                    String running = "running-" + size;
                    addJob(store, running, size, null, "interval '20 minutes'");
                    analyze(store);
                    double[] millis = new double[readings];
                    ClusterRecords.Reading reading = null;
                    for (int i = 0; i < readings; i++) {
                        long start = System.nanoTime();
                        reading = records.read(RECENT, RATE_WINDOW);
                        millis[i] = (System.nanoTime() - start) / 1e6;
                    }
                    Arrays.sort(millis);
                    ClusterRecords.JobRow row = reading.jobs().stream().filter(j -> j.id().equals(running)).findFirst()
                            .orElseThrow();
                    System.out.printf("  running job of %,9d items (%,d settled, %,d in the rate window): %.2f ms a reading"
                                    + " (median), %.2f ms slowest; %d job(s) listed%n", size, row.settled(),
                            row.settledRecently(), millis[readings / 2], millis[readings - 1], reading.jobs().size());
                    finish(store, running);
                }
            }
        }
    }

    /**
     * A job with {@code items} settled items spread over the last {@code spread} (so half of a running
     * job's 20 minutes falls in the 10-minute rate window); {@code finishedAt} null for a running job.
     */
    private static void addJob(SharedStore store, String id, long items, String finishedAt, String spread)
            throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement job = connection.prepareStatement(
                     "INSERT INTO guidesmith_jobs (id, kind, name, file_name, entries, accepted_at, node, content, finished_at)"
                             + " VALUES (?, 'guides', ?, 'input.json', ?, '2026-12-01T00:00:00Z', 'node-1', ''::bytea, "
                             + (finishedAt == null ? "NULL" : finishedAt) + ")");
             PreparedStatement settled = connection.prepareStatement(
                     "INSERT INTO guidesmith_items (job, position, outcome, node, settled_at)"
                             + " SELECT ?, p, CASE WHEN p % 50 = 0 THEN 'FAILED' ELSE 'DONE' END, 'node-' || (1 + p % 4),"
                             + " now() - " + spread + " * (1 - p::float8 / ?) FROM generate_series(0, ? - 1) AS p")) {
            job.setString(1, id);
            job.setString(2, id + ".json");
            job.setLong(3, finishedAt == null ? items * 2 : items);
            job.executeUpdate();
            settled.setString(1, id);
            settled.setLong(2, items);
            settled.setLong(3, items);
            settled.executeUpdate();
        }
    }

    private static void finish(SharedStore store, String id) throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE guidesmith_jobs SET finished_at = now() - interval '1 day' WHERE id = ?")) {
            update.setString(1, id);
            update.executeUpdate();
        }
    }

    private static void analyze(SharedStore store) throws SQLException {
        try (Connection connection = store.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE guidesmith_items");
            statement.execute("ANALYZE guidesmith_jobs");
        }
    }
}
