package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.sim.CallRecord;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.testing.GuideAssertions;
import dev.guidesmith.testing.SimOllama;
import dev.guidesmith.testing.PostgresDatabase;
import dev.guidesmith.testkit.PostgresServer;
import dev.guidesmith.testkit.ServiceProcess;
import dev.guidesmith.testkit.Workloads;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two service processes sharing the inbox, the output folder and a real PostgreSQL (each with a
 * work folder of its own, on in-memory SEDA queues): the leader takes the file, once; killed with
 * SIGKILL mid-run, the other node takes the lead within seconds, resumes the job and finishes it,
 * repeating no call beyond those in flight at the kill; its status shows the killed node lost.
 */
class SeveralNodesTest {

    private static final Logger LOG = LoggerFactory.getLogger(SeveralNodesTest.class);
    static final int PROBLEMS = 30;
    static final long CALLS = PROBLEMS * 4L;
    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @TempDir
    Path dir;

    private Map<String, String> node(String url, String id, Map<String, String> fleet) {
        Map<String, String> settings = new HashMap<>(fleet);
        settings.put("pipeline.store.url", url);
        settings.put("pipeline.store.user", PostgresServer.USER);
        settings.put("pipeline.node-id", id);
        settings.put("pipeline.store.leader-check-seconds", "1");
        settings.put("pipeline.store.heartbeat-interval", "500");
        settings.put("pipeline.store.node-lost-seconds", "3");
        settings.put("pipeline.work", dir.resolve("work-" + id).toString());
        return settings;
    }

    @Test
    void theLeaderTakesTheFileOnceAndWhenItIsKilledTheOtherNodeFinishesTheJob() throws Exception {
        String url = POSTGRES.server().newDatabase();
        // 4 slots, about 0.5 s a call: 120 calls last long enough to kill the leader mid-run
        try (SimOllama box = SimOllama.start("box", SimSettings.defaults().withSlots(4).withReplyTokens(100)
                .withTokenLatency(Duration.ofMillis(5)))) {
            Path problems = Workloads.problems(dir.resolve("source/problems.jsonl"), 1, PROBLEMS);
            try (ServiceProcess a = ServiceProcess.start(dir, node(url, "node-a", box.fleet()), "a.log");
                 ServiceProcess b = ServiceProcess.start(dir, node(url, "node-b", box.fleet()), "b.log")) {
                await("node a to lead", Duration.ofMinutes(2), () -> a.role().equals("leader") || b.role().equals("leader"));
                ServiceProcess leader = a.role().equals("leader") ? a : b;
                ServiceProcess other = leader == a ? b : a;
                await("the other node to stand by", Duration.ofMinutes(2), () -> other.role().equals("standby"));

                leader.drop(problems, "problems.jsonl");
                await("some guides before the kill", Duration.ofMinutes(2), () -> leader.guideCount() >= 5);
                await("calls in flight", Duration.ofSeconds(30), () -> box.server().counters().inside() > 0);
                long killedAt = System.nanoTime();
                leader.kill();
                long inFlightAtKill = box.server().calls().stream()
                        .filter(call -> call.startNanos() < killedAt && call.endNanos() >= killedAt - 100_000_000L)
                        .count();
                long guidesAtKill = leader.guideCount();

                await("the other node to lead", Duration.ofSeconds(30), () -> other.role().equals("leader"));
                double takeoverSeconds = (System.nanoTime() - killedAt) / 1e9;
                String killedId = leader == a ? "node-a" : "node-b";
                await("the killed node shown lost by the other", Duration.ofSeconds(30), () -> {
                    for (JsonNode node : other.status().at("/cluster/nodes")) {
                        if (node.path("id").asText().equals(killedId)) {
                            return node.path("state").asText().equals("lost");
                        }
                    }
                    return false;
                });
                await("all guides from the other node", Duration.ofMinutes(3),
                        () -> other.guideCount() == PROBLEMS && other.jobsSettled());
                assertThat(other.log()).contains("Resuming job");
                assertThat(other.terminate(Duration.ofSeconds(60))).isZero();

                for (Path guide : other.guides()) {
                    GuideAssertions.assertComplete(guide);
                }
                long successful = box.server().calls().stream().filter(CallRecord::success).count();
                long repeated = successful - CALLS;
                LOG.info("Leader killed with {} guides written and {} calls in flight; the other node led {} s later;"
                        + " {} calls repeated", guidesAtKill, inFlightAtKill, String.format("%.1f", takeoverSeconds), repeated);
                assertThat(repeated).as("calls made twice").isLessThanOrEqualTo(inFlightAtKill).isGreaterThanOrEqualTo(0);
                assertThat(takeoverSeconds).as("seconds to take over").isLessThan(10);
                assertThat(box.server().counters().maxInside()).as("calls at once at the server, from both nodes, the kill"
                        + " included (the dead node's slots come back when its leases run out)").isLessThanOrEqualTo(4);
                assertThat(rows(url, "SELECT count(*) FROM guidesmith_jobs")).as("the file was taken once").isEqualTo(1);
                assertThat(rows(url, "SELECT count(*) FROM guidesmith_jobs WHERE finished_at IS NOT NULL")).isEqualTo(1);
                assertThat(rows(url, "SELECT count(*) FROM guidesmith_done")).isEqualTo(PROBLEMS);
                assertThat(rows(url, "SELECT count(*) FROM guidesmith_items")).isEqualTo(PROBLEMS);
                assertThat(rows(url, "SELECT count(*) FROM guidesmith_slots")).as("the server's 4 slots, leased in the database")
                        .isEqualTo(4);
                assertThat(rows(url, "SELECT count(*) FROM guidesmith_slots WHERE node IS NOT NULL AND expires_at > now()"))
                        .as("slots held once the work is done").isZero();
            }
        }
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
