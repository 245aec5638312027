package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.broker.BrokerSettings;
import dev.guidesmith.broker.EmbeddedBroker;
import dev.guidesmith.sim.CallRecord;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.testing.GuideAssertions;
import dev.guidesmith.testing.PostgresDatabase;
import dev.guidesmith.testing.SimOllama;
import dev.guidesmith.testkit.PostgresServer;
import dev.guidesmith.testkit.ServiceProcess;
import dev.guidesmith.testkit.ServiceUnderTest;
import dev.guidesmith.testkit.Workloads;
import java.net.ConnectException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two service processes on one ActiveMQ Artemis broker (the broker role's embedded one) and one
 * PostgreSQL, sharing the inbox and the output folder, on one uneven simulated fleet: both nodes
 * take stage messages, the leader runs the job and settles its items. The leader is killed with
 * SIGKILL mid-run; the other node leads, resumes the job and finishes it: every guide written once,
 * no completed call made again beyond those in flight at the kill, and no server ever holding more
 * calls than its slots, counted at the server over both nodes.
 */
class NodesOnABrokerTest {

    private static final Logger LOG = LoggerFactory.getLogger(NodesOnABrokerTest.class);
    private static final int PROBLEMS = 50;
    private static final long CALLS = PROBLEMS * 4L;
    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @TempDir
    Path dir;

    private Map<String, String> node(String id, String store, EmbeddedBroker broker, Map<String, String> fleet) {
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

    private static String role(ServiceProcess service) throws Exception {
        try {
            return service.status().path("node").path("role").asText("");
        } catch (ConnectException starting) {
            return "";
        }
    }

    @Test
    void bothNodesWorkAndWhenTheLeaderIsKilledTheOtherFinishesEveryGuideOnce() throws Exception {
        String store = POSTGRES.server().newDatabase();
        // uneven: 1, 2 and 4 slots, the 4-slot server half as fast; about half a second a call
        SimSettings base = SimSettings.defaults().withReplyTokens(100).withTokenLatency(Duration.ofMillis(4));
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.local(dir.resolve("broker"),
                ServiceUnderTest.freePort(), Duration.ofMillis(200)));
             SimOllama one = SimOllama.start("one", base.withSlots(1));
             SimOllama two = SimOllama.start("two", base.withSlots(2));
             SimOllama four = SimOllama.start("four", base.withSlots(4).withTokenLatency(Duration.ofMillis(8)))) {
            List<SimOllama> servers = List.of(one, two, four);
            Map<String, String> fleet = new HashMap<>();
            servers.forEach(server -> fleet.putAll(server.endpoint()));
            fleet.put("llm.endpoints", "one,two,four");
            Path problems = Workloads.problems(dir.resolve("source/problems.jsonl"), 1, PROBLEMS);
            try (ServiceProcess a = ServiceProcess.start(dir, node("node-a", store, broker, fleet), "a.log");
                 ServiceProcess b = ServiceProcess.start(dir, node("node-b", store, broker, fleet), "b.log")) {
                await("a leader", Duration.ofMinutes(2), () -> role(a).equals("leader") || role(b).equals("leader"));
                ServiceProcess leader = role(a).equals("leader") ? a : b;
                ServiceProcess other = leader == a ? b : a;
                await("the other node to stand by", Duration.ofMinutes(2), () -> role(other).equals("standby"));

                leader.drop(problems, "problems.jsonl");
                await("the standby node making calls too", Duration.ofMinutes(2), () -> callsMadeBy(other) > 0);
                await("some guides before the kill", Duration.ofMinutes(2), () -> leader.guideCount() >= 10);
                long killedAt = System.nanoTime();
                leader.kill();
                long inFlightAtKill = servers.stream().flatMap(server -> server.server().calls().stream())
                        .filter(call -> call.startNanos() < killedAt && call.endNanos() >= killedAt - 100_000_000L)
                        .count();
                long guidesAtKill = leader.guideCount();

                await("the other node to lead", Duration.ofSeconds(30), () -> role(other).equals("leader"));
                double takeoverSeconds = (System.nanoTime() - killedAt) / 1e9;
                await("all guides from the other node", Duration.ofMinutes(4),
                        () -> other.guideCount() == PROBLEMS && other.jobsSettled());
                assertThat(other.log()).contains("Resuming job");
                assertThat(other.terminate(Duration.ofSeconds(60))).isZero();

                for (Path guide : other.guides()) {
                    GuideAssertions.assertComplete(guide);
                }
                long successful = servers.stream().flatMap(server -> server.server().calls().stream())
                        .filter(CallRecord::success).count();
                long repeated = successful - CALLS;
                LOG.info("Leader killed with {} guides written and {} calls in flight; the other node led {} s later;"
                        + " {} calls repeated; calls at once per server: {}", guidesAtKill, inFlightAtKill,
                        String.format("%.1f", takeoverSeconds), repeated,
                        servers.stream().map(server -> server.server().counters().maxInside()).toList());
                assertThat(repeated).as("calls made twice").isBetween(0L, inFlightAtKill);
                for (SimOllama server : servers) {
                    assertThat(server.server().counters().maxInside()).as("calls at once at " + server.server().settings().name())
                            .isLessThanOrEqualTo(server.server().settings().slots());
                }
                assertThat(rows(store, "SELECT count(*) FROM guidesmith_jobs")).as("the file was taken once").isEqualTo(1);
                assertThat(rows(store, "SELECT count(*) FROM guidesmith_jobs WHERE finished_at IS NOT NULL")).isEqualTo(1);
                assertThat(rows(store, "SELECT count(*) FROM guidesmith_done")).isEqualTo(PROBLEMS);
                assertThat(rows(store, "SELECT count(*) FROM guidesmith_items")).isEqualTo(PROBLEMS);
                for (String queue : List.of("describe", "topics", "approaches", "solutions", "checks", "render", "item-failures")) {
                    assertThat(broker.messagesOn(queue)).as("messages left on " + queue).isZero();
                    assertThat(broker.messagesOn("DLQ." + queue)).as("dead-lettered from " + queue).isZero();
                }
            }
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
