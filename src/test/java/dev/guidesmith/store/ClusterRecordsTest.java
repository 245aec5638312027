package dev.guidesmith.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.guidesmith.jobs.ItemOutcome;
import dev.guidesmith.jobs.ItemRef;
import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobFolders;
import dev.guidesmith.jobs.JobKinds;
import dev.guidesmith.status.ClusterRecords;
import dev.guidesmith.status.ClusterView;
import dev.guidesmith.status.RunStatus;
import dev.guidesmith.testing.PostgresDatabase;
import dev.guidesmith.testkit.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's reading against a real PostgreSQL, written by two nodes (two pools): the heartbeats
 * of nodes up, lost, stopped and long gone, and jobs counted from the items the nodes settled, with
 * rates from the items' settle times.
 */
class ClusterRecordsTest {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    static final Duration LOST_AFTER = Duration.ofSeconds(15);
    static final Duration RECENT = Duration.ofMinutes(60);
    static final Duration RATE_WINDOW = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private String url;
    private SharedStore nodeA;
    private SharedStore nodeB;

    private record Item(String job, long position) implements ItemRef {
        @Override
        public String stage() {
            return "render";
        }
    }

    @BeforeEach
    void openTwoNodes() throws Exception {
        url = POSTGRES.server().newDatabase();
        StoreSettings settings = new StoreSettings(url, PostgresServer.USER, "", 4, Duration.ofSeconds(5), Duration.ofSeconds(1));
        nodeA = SharedStore.open(settings, "a");
        nodeB = SharedStore.open(settings, "b");
        // the tables of jobs and items, as every node makes them at start
        new PostgresJobStore(nodeA, new JobFolders(dir.resolve("jobs"), new JobKinds(List.of())), "a");
        new PostgresItemStore(nodeA, "a");
    }

    @AfterEach
    void closeNodes() {
        nodeA.close();
        nodeB.close();
    }

    @Test
    void everyNodeIsListedUpLostOrStoppedWithItsCallsAndALongGoneNodeIsNot() throws Exception {
        ClusterRecords a = new PostgresClusterRecords(nodeA);
        ClusterRecords b = new PostgresClusterRecords(nodeB);
        a.beat(new ClusterRecords.NodeBeat("node-a", "leader", Map.of("gpu", new ClusterRecords.Calls(3, 4))), true);
        b.beat(new ClusterRecords.NodeBeat("node-b", "standby", Map.of("gpu", new ClusterRecords.Calls(1, 4),
                "cpu", new ClusterRecords.Calls(2, 2))), true);
        b.beat(new ClusterRecords.NodeBeat("node-c", "standby", Map.of()), true);
        b.left("node-c");
        a.beat(new ClusterRecords.NodeBeat("node-d", "standby", Map.of()), true);
        sql("UPDATE guidesmith_nodes SET last_seen = now() - interval '30 seconds' WHERE node = 'node-b'");
        sql("UPDATE guidesmith_nodes SET last_seen = now() - interval '2 hours' WHERE node = 'node-d'");

        RunStatus.Cluster cluster = view(b).current();
        assertThat(cluster.unavailable()).isNull();
        assertThat(cluster.nodes()).extracting(RunStatus.ClusterNode::id).containsExactly("node-a", "node-b", "node-c");
        assertThat(cluster.nodes()).extracting(RunStatus.ClusterNode::state).containsExactly("up", "lost", "stopped");
        assertThat(cluster.nodes()).extracting(RunStatus.ClusterNode::role).containsExactly("leader", "standby", "standby");
        assertThat(cluster.nodesUp()).isEqualTo(1);
        assertThat(cluster.nodesLost()).isEqualTo(1);
        RunStatus.ClusterNode nodeBSeen = cluster.nodes().get(1);
        assertThat(nodeBSeen.inFlight()).isEqualTo(3);
        assertThat(nodeBSeen.slots()).isEqualTo(6);
        assertThat(nodeBSeen.endpoints()).containsEntry("cpu", new ClusterRecords.Calls(2, 2));
        assertThat(nodeBSeen.secondsSinceSeen()).isBetween(30.0, 60.0);

        // a beat brings a node back; its start stays unless it started again
        Instant started = Instant.parse(cluster.nodes().get(0).startedAt());
        Thread.sleep(20);
        a.beat(new ClusterRecords.NodeBeat("node-a", "standby", Map.of("gpu", new ClusterRecords.Calls(0, 4))), false);
        b.beat(new ClusterRecords.NodeBeat("node-b", "leader", Map.of()), false);
        RunStatus.Cluster later = view(a).current();
        assertThat(later.nodes()).extracting(RunStatus.ClusterNode::state).containsExactly("up", "up", "stopped");
        assertThat(later.nodes()).extracting(RunStatus.ClusterNode::role).containsExactly("standby", "leader", "standby");
        assertThat(Instant.parse(later.nodes().get(0).startedAt())).isEqualTo(started);
        a.beat(new ClusterRecords.NodeBeat("node-a", "leader", Map.of()), true);
        assertThat(Instant.parse(view(a).current().nodes().get(0).startedAt())).isAfter(started);
    }

    @Test
    void jobsOfEveryNodeAreCountedFromTheirSettledItemsWithRatesFromTheirSettleTimes() throws Exception {
        PostgresItemStore itemsA = new PostgresItemStore(nodeA, "node-a");
        PostgresItemStore itemsB = new PostgresItemStore(nodeB, "node-b");
        ClusterRecords b = new PostgresClusterRecords(nodeB);
        job("j1-running", "node-a", 10, null);
        job("j2-finished", "node-b", 3, "now() - interval '10 minutes'");
        job("j3-long-finished", "node-a", 2, "now() - interval '3 hours'");
        job("j4-waiting", "node-b", 5, null);

        // j1: settled by both nodes through their item stores; j2 and j3 all settled
        Job j1 = new Job("j1-running", "guides", "one.json", Path.of("one.json"), 10, Instant.now().toString());
        itemsA.open(j1);
        itemsB.open(j1);
        itemsA.settle(new Item("j1-running", 0), ItemOutcome.DONE);
        itemsA.settle(new Item("j1-running", 1), ItemOutcome.DONE);
        itemsB.settle(new Item("j1-running", 2), ItemOutcome.ALREADY_DONE);
        itemsB.settle(new Item("j1-running", 3), ItemOutcome.FAILED);
        itemsB.settle(new Item("j1-running", 4), ItemOutcome.DONE);
        // the rate window sees 4 items over the last 60 s (3 intervals: 3 a minute); item 0 settled long before
        sql("UPDATE guidesmith_items SET settled_at = now() - interval '1 hour' WHERE job = 'j1-running' AND position = 0");
        sql("UPDATE guidesmith_items SET settled_at = now() - interval '60 seconds' WHERE job = 'j1-running' AND position = 1");
        sql("UPDATE guidesmith_items SET settled_at = now() - interval '40 seconds' WHERE job = 'j1-running' AND position = 2");
        sql("UPDATE guidesmith_items SET settled_at = now() - interval '20 seconds' WHERE job = 'j1-running' AND position = 3");
        sql("UPDATE guidesmith_items SET settled_at = now() WHERE job = 'j1-running' AND position = 4");
        for (int position = 0; position < 3; position++) {
            item("j2-finished", position, position == 2 ? ItemOutcome.FAILED : ItemOutcome.DONE);
        }
        item("j3-long-finished", 0, ItemOutcome.DONE);
        item("j3-long-finished", 1, ItemOutcome.DONE);

        RunStatus.Cluster cluster = view(b).current();
        assertThat(cluster.jobs()).extracting(RunStatus.ClusterJob::id)
                .as("unfinished and recently finished jobs").containsExactly("j1-running", "j2-finished", "j4-waiting");
        RunStatus.ClusterJob running = cluster.jobs().get(0);
        assertThat(running.node()).isEqualTo("node-a");
        assertThat(running.kind()).isEqualTo("guides");
        assertThat(running.name()).isEqualTo("j1-running.json");
        assertThat(running.entries()).isEqualTo(10);
        assertThat(running.done()).isEqualTo(3);
        assertThat(running.alreadyDone()).isEqualTo(1);
        assertThat(running.failed()).isEqualTo(1);
        assertThat(running.settled()).isEqualTo(5);
        assertThat(running.finished()).isFalse();
        // the reading comes a moment after the updates: the first item is a little more than 60 s old
        assertThat(running.perMinute()).isCloseTo(3.0, within(0.15));
        assertThat(running.etaSeconds()).as("5 to go at 3 a minute").isBetween(100L, 110L);

        RunStatus.ClusterJob finished = cluster.jobs().get(1);
        assertThat(finished.finished()).isTrue();
        assertThat(finished.done()).isEqualTo(2);
        assertThat(finished.failed()).isEqualTo(1);
        assertThat(finished.perMinute()).isZero();
        assertThat(finished.etaSeconds()).isZero();

        RunStatus.ClusterJob waiting = cluster.jobs().get(2);
        assertThat(waiting.settled()).isZero();
        assertThat(waiting.perMinute()).isZero();
        assertThat(waiting.etaSeconds()).as("no rate yet").isNull();

        assertThat(cluster.total()).isEqualTo(18);
        assertThat(cluster.done()).isEqualTo(6);
        assertThat(cluster.failed()).isEqualTo(2);
        assertThat(cluster.settled()).isEqualTo(8);
        assertThat(cluster.remaining()).isEqualTo(10);
        assertThat(cluster.perMinute()).isCloseTo(3.0, within(0.15));
        assertThat(cluster.etaSeconds()).as("10 to go at 3 a minute").isBetween(200L, 220L);
    }

    @Test
    void oneReadingServesTheRequestsOfItsCacheTimeAndAStoreThatCannotBeReadIsSaid() throws Exception {
        ClusterRecords records = new PostgresClusterRecords(nodeA);
        records.beat(new ClusterRecords.NodeBeat("node-a", "leader", Map.of()), true);
        ClusterView cached = new ClusterView(records, LOST_AFTER, RECENT, RATE_WINDOW, Duration.ofMinutes(1));
        assertThat(cached.current().nodes()).hasSize(1);
        records.beat(new ClusterRecords.NodeBeat("node-b", "standby", Map.of()), true);
        assertThat(cached.current().nodes()).as("the cached reading").hasSize(1);
        assertThat(view(records).current().nodes()).as("a fresh reading").hasSize(2);

        nodeA.close();
        RunStatus.Cluster unavailable = view(records).current();
        assertThat(unavailable.unavailable()).contains("read the cluster's nodes and jobs").contains(url);
        assertThat(unavailable.nodes()).isEmpty();
    }

    private static ClusterView view(ClusterRecords records) {
        return new ClusterView(records, LOST_AFTER, RECENT, RATE_WINDOW, Duration.ZERO);
    }

    private void job(String id, String node, long entries, String finishedAt) throws Exception {
        sql("INSERT INTO guidesmith_jobs (id, kind, name, file_name, entries, accepted_at, node, content, finished_at)"
                + " VALUES ('" + id + "', 'guides', '" + id + ".json', 'input.json', " + entries + ", '"
                + Instant.now() + "', '" + node + "', ''::bytea, " + (finishedAt == null ? "NULL" : finishedAt) + ")");
    }

    private void item(String job, long position, ItemOutcome outcome) throws Exception {
        sql("INSERT INTO guidesmith_items (job, position, outcome, node) VALUES ('" + job + "', " + position + ", '"
                + outcome.name() + "', 'node-b')");
    }

    private void sql(String statement) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, PostgresServer.USER, "");
             Statement run = connection.createStatement()) {
            run.execute(statement);
        }
    }
}
