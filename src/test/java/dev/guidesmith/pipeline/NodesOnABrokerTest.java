package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.broker.BrokerSettings;
import dev.guidesmith.broker.EmbeddedBroker;
import dev.guidesmith.sim.CallRecord;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.support.Json;
import com.openai.client.OpenAIClient;
import com.openai.models.batches.Batch;
import dev.guidesmith.testing.GuideAssertions;
import dev.guidesmith.testing.OpenAiBatches;
import dev.guidesmith.testing.PostgresDatabase;
import dev.guidesmith.testing.SimOllama;
import dev.guidesmith.testkit.PostgresServer;
import dev.guidesmith.testkit.ServiceProcess;
import dev.guidesmith.testkit.ServiceUnderTest;
import dev.guidesmith.testkit.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two service processes on one ActiveMQ Artemis broker (the broker role's embedded one, in this JVM)
 * and one PostgreSQL, sharing the inbox and the output folder, on one uneven simulated fleet: both
 * nodes take stage messages, the leader runs the job and settles its items. The leader is killed
 * with SIGKILL mid-run; the other node leads, resumes the job and finishes it: every result written
 * once, no completed call made again beyond those in flight at the kill, and no server ever holding
 * more calls than its slots, counted at the server over both nodes.
 */
class NodesOnABrokerTest {

    private static final Logger LOG = LoggerFactory.getLogger(NodesOnABrokerTest.class);
    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @TempDir
    Path dir;

    @Test
    void aGuideJobFinishesEveryGuideOnceWhenTheLeaderIsKilled() throws Exception {
        int problems = 50;
        Path file = Workloads.problems(dir.resolve("source/problems.jsonl"), 1, problems);
        try (Cluster cluster = new Cluster()) {
            ServiceProcess other = cluster.killTheLeaderMidRun(file, "problems.jsonl", 10);
            await("all guides from the other node", Duration.ofMinutes(4),
                    () -> other.guideCount() == problems && other.jobsSettled());
            assertThat(other.terminate(Duration.ofSeconds(60))).isZero();

            for (Path guide : other.guides()) {
                GuideAssertions.assertComplete(guide);
            }
            cluster.assertNoCompletedCallRepeatedAndNoServerOverSlots(problems * 4L);
            cluster.assertQueuesEmpty(List.of("describe", "topics", "approaches", "solutions", "checks", "render"));
            assertThat(rows(cluster.store, "SELECT count(*) FROM guidesmith_done")).isEqualTo(problems);
            assertThat(rows(cluster.store, "SELECT count(*) FROM guidesmith_items")).isEqualTo(problems);
        }
    }

    @Test
    void aBatchJobAnswersEveryRequestOnceWhenTheLeaderIsKilled() throws Exception {
        int requests = 120;
        Path file = Workloads.batch(dir.resolve("source/scores.jsonl"), requests, SimOllama.MODEL, "Score the candidate.");
        try (Cluster cluster = new Cluster()) {
            Path output = dir.resolve("output/batches/scores.output.jsonl");
            ServiceProcess other = cluster.killTheLeaderMidRun(file, "scores.jsonl", 30);
            await("every answer from the other node", Duration.ofMinutes(4), other::jobsSettled);
            assertThat(other.terminate(Duration.ofSeconds(60))).isZero();

            List<String> answered = new ArrayList<>();
            for (String line : Files.readAllLines(output)) {
                answered.add(Json.MAPPER.readTree(line).path("custom_id").asText());
            }
            assertThat(answered).as("one answer per request").doesNotHaveDuplicates().hasSize(requests);
            cluster.assertNoCompletedCallRepeatedAndNoServerOverSlots(requests);
            cluster.assertQueuesEmpty(List.of("batch-requests", "batch-answers"));
            assertThat(rows(cluster.store, "SELECT count(*) FROM guidesmith_items")).isEqualTo(requests);
        }
    }

    @Test
    void aBatchMadeThroughTheStandbysApiRunsOnTheLeaderAndEveryNodeServesItsOutput() throws Exception {
        int requests = 40;
        Path file = Workloads.batch(dir.resolve("source/api.jsonl"), requests, SimOllama.MODEL, "Score the candidate.");
        try (Cluster cluster = new Cluster()) {
            ServiceProcess leader = cluster.leader();
            ServiceProcess standby = cluster.nodes.get(0) == leader ? cluster.nodes.get(1) : cluster.nodes.get(0);
            await("the other node to stand by", Duration.ofMinutes(2), () -> standby.role().equals("standby"));
            OpenAIClient throughStandby = OpenAiBatches.client(standby);
            Batch batch = OpenAiBatches.create(throughStandby, file);
            Batch done = OpenAiBatches.awaitStatus(throughStandby, batch.id(), Duration.ofMinutes(3), Batch.Status.COMPLETED);

            Map<String, Long> answers = OpenAiBatches.perCustomId(
                    OpenAiBatches.lines(OpenAiBatches.client(leader), done.outputFileId().orElseThrow()));
            assertThat(answers).as("one answer per request, from the leader's API").hasSize(requests)
                    .allSatisfy((customId, lines) -> assertThat(lines).isEqualTo(1L));
            // validated and run where jobs run: the leader; its requests' calls were made by both nodes
            assertThat(leader.log()).contains("Starting job");
            assertThat(standby.log()).doesNotContain("Starting job");
            cluster.assertNoCompletedCallRepeatedAndNoServerOverSlots(requests);
            cluster.assertQueuesEmpty(List.of("batch-validations", "batch-requests", "batch-answers"));
        }
    }

    /** The broker, the database, the fleet and two nodes; the test's folder is their shared inbox and output. */
    private final class Cluster implements AutoCloseable {

        final String store;
        final EmbeddedBroker broker;
        final List<SimOllama> servers = new ArrayList<>();
        final List<ServiceProcess> nodes = new ArrayList<>();
        long inFlightAtKill;

        Cluster() throws Exception {
            store = POSTGRES.server().newDatabase();
            broker = EmbeddedBroker.start(BrokerSettings.local(dir.resolve("broker"), ServiceUnderTest.freePort(),
                    Duration.ofMillis(200)));
            // uneven: 1, 2 and 4 slots, the 4-slot server half as fast; about half a second a call
            SimSettings base = SimSettings.defaults().withReplyTokens(100).withTokenLatency(Duration.ofMillis(4));
            servers.add(SimOllama.start("one", base.withSlots(1)));
            servers.add(SimOllama.start("two", base.withSlots(2)));
            servers.add(SimOllama.start("four", base.withSlots(4).withTokenLatency(Duration.ofMillis(8))));
            Map<String, String> fleet = new HashMap<>();
            servers.forEach(server -> fleet.putAll(server.endpoint()));
            fleet.put("llm.endpoints", "one,two,four");
            for (String id : List.of("node-a", "node-b")) {
                nodes.add(ServiceProcess.start(dir, node(id, fleet), id + ".log"));
            }
        }

        private Map<String, String> node(String id, Map<String, String> fleet) {
            Map<String, String> settings = new HashMap<>(fleet);
            settings.put("pipeline.queue", "jms");
            settings.put("pipeline.broker.url", broker.settings().url());
            settings.put("pipeline.store.url", store);
            settings.put("pipeline.store.user", PostgresServer.USER);
            settings.put("pipeline.node-id", id);
            settings.put("pipeline.store.leader-check-seconds", "1");
            settings.put("pipeline.work", dir.resolve("work-" + id).toString());
            // the compilers' checks are not what this is about, and slow on a loaded machine
            settings.put("guide.checks", "sections");
            return settings;
        }

        ServiceProcess leader() throws Exception {
            await("a leader", Duration.ofMinutes(2), () -> nodes.get(0).role().equals("leader") || nodes.get(1).role().equals("leader"));
            return nodes.get(0).role().equals("leader") ? nodes.get(0) : nodes.get(1);
        }

        /**
         * Drops the file at the leader, waits until the other node makes calls too and the leader settled
         * {@code settledBeforeKill} items, kills the leader, and returns the other node once it leads.
         */
        ServiceProcess killTheLeaderMidRun(Path file, String name, int settledBeforeKill) throws Exception {
            ServiceProcess leader = leader();
            ServiceProcess other = leader == nodes.get(0) ? nodes.get(1) : nodes.get(0);
            await("the other node to stand by", Duration.ofMinutes(2), () -> other.role().equals("standby"));

            leader.drop(file, name);
            await("the standby node making calls too", Duration.ofMinutes(2), () -> callsMadeBy(other) > 0);
            await(settledBeforeKill + " items settled before the kill", Duration.ofMinutes(2),
                    () -> rows(store, "SELECT count(*) FROM guidesmith_items") >= settledBeforeKill);
            long killedAt = System.nanoTime();
            leader.kill();
            inFlightAtKill = servers.stream().flatMap(server -> server.server().calls().stream())
                    .filter(call -> call.startNanos() < killedAt && call.endNanos() >= killedAt - 100_000_000L)
                    .count();
            await("the other node to lead", Duration.ofSeconds(30), () -> other.role().equals("leader"));
            LOG.info("Leader killed with {} calls in flight; the other node led {} s later", inFlightAtKill,
                    String.format("%.1f", (System.nanoTime() - killedAt) / 1e9));
            // its resume-jobs route starts with the lead and runs on a timer: the job is resumed a moment later
            await("the other node to resume the job", Duration.ofSeconds(30), () -> other.log().contains("Resuming job"));
            return other;
        }

        void assertNoCompletedCallRepeatedAndNoServerOverSlots(long calls) {
            long successful = servers.stream().flatMap(server -> server.server().calls().stream())
                    .filter(CallRecord::success).count();
            List<Integer> held = servers.stream().map(server -> server.server().counters().maxInside()).toList();
            LOG.info("{} calls repeated ({} in flight at the kill); calls at once per server: {}", successful - calls,
                    inFlightAtKill, held);
            assertThat(successful - calls).as("calls made twice").isBetween(0L, inFlightAtKill);
            for (SimOllama server : servers) {
                assertThat(server.server().counters().maxInside()).as("calls at once at " + server.server().settings().name())
                        .isLessThanOrEqualTo(server.server().settings().slots());
            }
            try {
                assertThat(rows(store, "SELECT count(*) FROM guidesmith_jobs")).as("the file was taken once").isEqualTo(1);
                assertThat(rows(store, "SELECT count(*) FROM guidesmith_jobs WHERE finished_at IS NOT NULL")).isEqualTo(1);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        void assertQueuesEmpty(List<String> queues) throws Exception {
            List<String> all = new ArrayList<>(queues);
            all.add("item-failures");
            for (String queue : all) {
                // a message is acknowledged just after its item settles
                await("no message left on " + queue, Duration.ofSeconds(10), () -> broker.messagesOn(queue) == 0);
                assertThat(broker.messagesOn("DLQ." + queue)).as("dead-lettered from " + queue).isZero();
            }
        }

        @Override
        public void close() throws Exception {
            for (ServiceProcess node : nodes) {
                node.close();
            }
            servers.forEach(SimOllama::close);
            broker.close();
        }
    }

    /** Model calls a node completed, by its own /status. */
    private static long callsMadeBy(ServiceProcess node) throws Exception {
        long calls = 0;
        for (var endpoint : node.status().path("endpoints")) {
            calls += endpoint.path("completed").asLong();
        }
        return calls;
    }

    private static long rows(String url, String query) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, PostgresServer.USER, "");
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }
}
