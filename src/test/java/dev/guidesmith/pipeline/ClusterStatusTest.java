package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.testing.HeadlessChromium;
import dev.guidesmith.testing.PostgresDatabase;
import dev.guidesmith.testing.SimOllama;
import dev.guidesmith.testing.StatusClient;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two services (the real camel-main configuration, in this JVM) sharing the inbox, the output folder
 * and a real PostgreSQL: the job the leader runs shows, with its counts, in the other node's
 * {@code /status} while it runs and once it is finished, and both nodes are listed with their roles
 * and calls (in its /metrics and on its status page too, where chromium is installed); a node that stops is listed as
 * stopped.
 */
class ClusterStatusTest {

    static final int PROBLEMS = PipelineEndToEndTest.PROBLEMS;
    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @TempDir
    Path dir;

    private Map<String, String> node(String url, String id, Map<String, String> fleet) {
        Map<String, String> settings = new HashMap<>(fleet);
        settings.put("pipeline.store.url", url);
        settings.put("pipeline.store.user", PostgresServer.USER);
        settings.put("pipeline.node-id", id);
        settings.put("pipeline.store.leader-check-seconds", "0.2");
        settings.put("pipeline.store.heartbeat-interval", "200");
        settings.put("pipeline.status.cluster.cache-ms", "100");
        settings.put("pipeline.work", dir.resolve("work-" + id).toString());
        settings.put("guide.checks", "sections");
        return settings;
    }

    private static JsonNode clusterNode(JsonNode cluster, String id) {
        for (JsonNode node : cluster.path("nodes")) {
            if (node.path("id").asText().equals(id)) {
                return node;
            }
        }
        return null;
    }

    @Test
    void theJobOneNodeRunsShowsWithItsCountsInTheOtherNodesStatusAndBothNodesAreListed() throws Exception {
        String url = POSTGRES.server().newDatabase();
        // 4 slots, about 0.3 s a call: the run lasts long enough to be seen under way from the other node
        try (SimOllama box = SimOllama.start("box", SimSettings.defaults().withSlots(4).withReplyTokens(60)
                .withTokenLatency(Duration.ofMillis(5)));
             InJvmService one = InJvmService.start(dir, node(url, "node-1", box.fleet()));
             InJvmService two = InJvmService.start(dir, node(url, "node-2", box.fleet()))) {
            await("a leader", Duration.ofMinutes(1), () -> one.role().equals("leader") || two.role().equals("leader"));
            InJvmService leader = one.role().equals("leader") ? one : two;
            InJvmService other = leader == one ? two : one;
            String leaderId = leader == one ? "node-1" : "node-2";
            String otherId = leader == one ? "node-2" : "node-1";
            await("the other node to stand by", Duration.ofMinutes(1), () -> other.role().equals("standby"));
            await("both nodes listed by each", Duration.ofSeconds(30), () ->
                    other.status().at("/cluster/nodesUp").asInt() == 2 && leader.status().at("/cluster/nodesUp").asInt() == 2);

            leader.drop(PipelineEndToEndTest.SAMPLE, "leetcode.json");
            List<String> seenUnderWay = new ArrayList<>();
            await("the job settled, seen from the other node", Duration.ofMinutes(3), () -> {
                JsonNode cluster = other.status().path("cluster");
                JsonNode job = cluster.at("/jobs/0");
                if (job.isMissingNode()) {
                    return false;
                }
                long settled = job.path("done").asLong() + job.path("alreadyDone").asLong() + job.path("failed").asLong();
                assertThat(job.path("settled").asLong()).isEqualTo(settled).isLessThanOrEqualTo(PROBLEMS);
                JsonNode leaderNode = clusterNode(cluster, leaderId);
                if (!job.path("finished").asBoolean() && settled < PROBLEMS && leaderNode != null
                        && leaderNode.path("inFlight").asInt() > 0) {
                    assertThat(leaderNode.path("inFlight").asInt()).isLessThanOrEqualTo(leaderNode.path("slots").asInt());
                    seenUnderWay.add(settled + "/" + PROBLEMS + ", " + leaderNode.path("inFlight").asInt() + " calls");
                }
                return job.path("finished").asBoolean();
            });
            assertThat(seenUnderWay).as("the job seen under way, with the leader's calls, from the other node").isNotEmpty();

            JsonNode status = other.status();
            assertThat(status.path("total").asLong()).as("the other node's own counts: it ran nothing").isZero();
            JsonNode cluster = status.path("cluster");
            assertThat(cluster.path("unavailable").isNull()).isTrue();
            assertThat(cluster.path("jobs")).hasSize(1);
            JsonNode job = cluster.at("/jobs/0");
            assertThat(job.path("name").asText()).isEqualTo("leetcode.json");
            assertThat(job.path("node").asText()).as("accepted by").isEqualTo(leaderId);
            assertThat(job.path("entries").asLong()).isEqualTo(PROBLEMS);
            assertThat(job.path("done").asLong()).isEqualTo(PROBLEMS);
            assertThat(job.path("done").asLong()).as("as the leader counts it").isEqualTo(leader.status().path("written").asLong());
            assertThat(job.path("failed").asLong()).isZero();
            assertThat(job.path("etaSeconds").asLong()).isZero();
            assertThat(cluster.path("total").asLong()).isEqualTo(PROBLEMS);
            assertThat(cluster.path("done").asLong()).isEqualTo(PROBLEMS);
            assertThat(cluster.path("remaining").asLong()).isZero();
            assertThat(leader.guideCount()).isEqualTo(PROBLEMS);

            assertThat(cluster.path("nodes")).extracting(node -> node.path("id").asText())
                    .containsExactly("node-1", "node-2");
            assertThat(clusterNode(cluster, leaderId).path("role").asText()).isEqualTo("leader");
            assertThat(clusterNode(cluster, otherId).path("role").asText()).isEqualTo("standby");
            assertThat(cluster.path("nodes")).allSatisfy(node -> {
                assertThat(node.path("state").asText()).isEqualTo("up");
                assertThat(node.path("slots").asInt()).isEqualTo(4);
                assertThat(node.at("/endpoints/box/slots").asInt()).isEqualTo(4);
            });

            StatusClient.Metrics metrics = new StatusClient(other.httpPort()).metrics();
            assertThat(metrics.value("guidesmith_cluster_problems_done")).isEqualTo(PROBLEMS);
            assertThat(metrics.value("guidesmith_cluster_problems_remaining")).isZero();
            assertThat(metrics.value("guidesmith_cluster_nodes_up")).isEqualTo(2);
            assertThat(metrics.value("guidesmith_problems_written_total")).as("the other node's own").isZero();

            if (HeadlessChromium.available()) {
                // the other node's status page, in a real browser, shows the cluster section
                String dom = HeadlessChromium.renderedDom(dir, "http://127.0.0.1:" + other.httpPort() + "/");
                assertThat(dom).contains("<section id=\"cluster\">")
                        .contains("<tr data-node=\"node-1\">").contains("<tr data-node=\"node-2\">")
                        .contains("<span class=\"state up\">up</span>")
                        .contains("<tr data-cluster-job=\"" + job.path("id").asText() + "\">")
                        .contains("<span id=\"cluster-done\">" + PROBLEMS + "</span>")
                        .contains("<h2 id=\"this-node\">This node: " + otherId + " (standby)</h2>");
            }

            leader.close();
            await("the stopped node listed as stopped, the other leading", Duration.ofSeconds(30), () -> {
                JsonNode after = other.status().path("cluster");
                JsonNode gone = clusterNode(after, leaderId);
                JsonNode self = clusterNode(after, otherId);
                return gone != null && gone.path("state").asText().equals("stopped") && self != null
                        && self.path("role").asText().equals("leader") && after.path("nodesUp").asInt() == 1;
            });
        }
    }
}
