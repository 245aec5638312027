package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static dev.guidesmith.testing.OpenAiBatches.awaitStatus;
import static dev.guidesmith.testing.OpenAiBatches.client;
import static dev.guidesmith.testing.OpenAiBatches.create;
import static dev.guidesmith.testing.OpenAiBatches.lines;
import static dev.guidesmith.testing.OpenAiBatches.perCustomId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchListParams;
import com.openai.models.files.FileListParams;
import com.openai.models.files.FileObject;
import dev.guidesmith.sim.CallRecord;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.testing.PostgresDatabase;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.PostgresServer;
import dev.guidesmith.testkit.ServiceProcess;
import dev.guidesmith.testkit.Workloads;
import java.io.InputStream;
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
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches with their state in a real PostgreSQL, as two nodes see them through the official
 * client ({@code com.openai:openai-java}). Each node has folders of its own (inbox, output, work),
 * so whatever one node shows of a batch another node ran came from the database: a batch made on
 * one node is listed, followed, downloaded and cancelled through the other; and a batch whose node
 * is killed with SIGKILL mid-run is finished by the other node with every custom_id exactly once.
 */
class SharedBatchesTest {

    private static final Logger LOG = LoggerFactory.getLogger(SharedBatchesTest.class);
    static final String MODEL = "sim-scorer";
    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @TempDir
    Path dir;

    private static SimulatedModelServer server(int slots, Duration tokenLatency) {
        return new SimulatedModelServer(SimSettings.defaults().withSlots(slots).withReplyTokens(30).withTokenLatency(tokenLatency)
                .withModels(MODEL)).start();
    }

    private static Map<String, String> node(String url, String id, SimulatedModelServer server) {
        Map<String, String> settings = new HashMap<>();
        settings.put("llm.endpoints", "box");
        settings.put("llm.endpoint.box.api", "openai");
        settings.put("llm.endpoint.box.url", server.baseUri().toString());
        settings.put("llm.endpoint.box.model", MODEL);
        settings.put("llm.endpoint.box.slots", Integer.toString(server.settings().slots()));
        settings.put("pipeline.store.url", url);
        settings.put("pipeline.store.user", PostgresServer.USER);
        settings.put("pipeline.node-id", id);
        settings.put("pipeline.store.leader-check-seconds", "1");
        settings.put("pipeline.batch.expiry-check-interval", "200ms");
        return settings;
    }

    private static Map<String, String> withPool(Map<String, String> settings, int connections) {
        settings.put("pipeline.store.pool-size", Integer.toString(connections));
        settings.put("pipeline.store.connect-timeout-seconds", "5");
        return settings;
    }

    private static List<String> customIds(int requests) {
        return IntStream.rangeClosed(1, requests).mapToObj(i -> "candidate-" + i).toList();
    }

    @Test
    void aBatchMadeOnOneNodeIsFollowedDownloadedAndCancelledThroughTheOther() throws Exception {
        String url = POSTGRES.server().newDatabase();
        // 2 slots, about 0.15 s a call
        try (SimulatedModelServer box = server(2, Duration.ofMillis(5));
             InJvmService a = InJvmService.start(dir.resolve("a"), node(url, "node-a", box));
             InJvmService b = InJvmService.start(dir.resolve("b"), withPool(node(url, "node-b", box), 3))) {
            OpenAIClient onA = client(a);
            OpenAIClient onB = client(b);

            Path requests = Workloads.batch(dir.resolve("requests.jsonl"), 12, MODEL, "Score from 1 to 5.");
            Batch made = create(onA, requests);
            FileObject input = onB.files().retrieve(made.inputFileId());
            assertThat(input.bytes()).isEqualTo(Files.size(requests));
            try (InputStream content = onB.files().content(input.id()).body()) {
                assertThat(content.readAllBytes()).as("the upload, as node b serves it").isEqualTo(Files.readAllBytes(requests));
            }

            Batch done = awaitStatus(onB, made.id(), Duration.ofMinutes(2), Batch.Status.COMPLETED);
            assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(12);
            assertThat(done.usage().orElseThrow().outputTokens()).isPositive();
            assertThat(onB.batches().list(BatchListParams.builder().limit(10).build()).data()).extracting(Batch::id)
                    .containsExactly(made.id());
            List<JsonNode> output = lines(onB, done.outputFileId().orElseThrow());
            assertThat(perCustomId(output)).as("every custom_id once, downloaded from node b")
                    .containsOnlyKeys(customIds(12)).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
            assertThat(output.get(0).at("/response/body/object").asText()).isEqualTo("chat.completion");
            for (int i = 0; i < 10; i++) {
                // each download holds one of node b's 3 pooled connections until it is sent: none may be kept
                assertThat(lines(onB, done.outputFileId().orElseThrow())).hasSize(12);
            }
            assertThat(onB.files().list(FileListParams.builder().purpose("batch_output").build()).data()).extracting(FileObject::id)
                    .containsExactly(done.outputFileId().orElseThrow());
            assertThat(a.output().resolve("batches/" + made.id() + ".output.jsonl")).as("node a ran it").exists();
            assertThat(b.output().resolve("batches")).as("node b has no result files of its own").doesNotExist();
            try (Stream<Path> copies = Files.list(a.work().resolve("file-copies"))) {
                assertThat(copies).as("the input's copy node a validated, once its job has its own").isEmpty();
            }

            // a batch running on node a, cancelled through node b: node a stops sending its requests
            int many = 80;
            Batch running = create(onA, Workloads.batch(dir.resolve("many.jsonl"), many, MODEL, "Score from 1 to 5."));
            await("answers node b sees", Duration.ofMinutes(1),
                    () -> onB.batches().retrieve(running.id()).requestCounts().map(c -> c.completed()).orElse(0L) >= 4);
            onB.batches().cancel(running.id());
            Batch cancelled = awaitStatus(onB, running.id(), Duration.ofMinutes(1), Batch.Status.CANCELLED);
            long answered = cancelled.requestCounts().orElseThrow().completed();
            assertThat(answered).isBetween(4L, many - 10L);
            assertThat(box.counters().received()).as("calls after the cancel, beyond those under way").isLessThan(12 + many);
            List<JsonNode> all = new ArrayList<>(lines(onB, cancelled.outputFileId().orElseThrow()));
            List<JsonNode> errors = lines(onB, cancelled.errorFileId().orElseThrow());
            assertThat(errors).hasSize(many - (int) answered)
                    .allSatisfy(line -> assertThat(line.at("/error/code").asText()).isEqualTo("batch_cancelled"));
            all.addAll(errors);
            assertThat(perCustomId(all)).containsOnlyKeys(customIds(many)).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        }
        assertThat(rows(url, "SELECT count(*) FROM guidesmith_batch_results")).isEqualTo(12 + 80);
        assertThat(rows(url, "SELECT count(*) FROM guidesmith_batches")).isEqualTo(2);
    }

    @Test
    void aBatchWhoseNodeIsKilledFinishesOnTheOtherWithEveryCustomIdOnce() throws Exception {
        String url = POSTGRES.server().newDatabase();
        int requests = 120;
        // 4 slots, about 0.3 s a call: 120 calls last long enough to kill the node mid-batch
        try (SimulatedModelServer box = server(4, Duration.ofMillis(10))) {
            try (ServiceProcess a = ServiceProcess.start(dir.resolve("a"), node(url, "node-a", box), "a.log")) {
                await("node a to lead", Duration.ofMinutes(2), () -> a.role().equals("leader"));
                try (InJvmService b = InJvmService.start(dir.resolve("b"), node(url, "node-b", box))) {
                    OpenAIClient onB = client(b);
                    Batch made = create(client(a), Workloads.batch(dir.resolve("requests.jsonl"), requests, MODEL, "Score."));
                    await("30 answers before the kill", Duration.ofMinutes(2),
                            () -> rows(url, "SELECT count(*) FROM guidesmith_batch_results") >= 30);
                    long killedAt = System.nanoTime();
                    a.kill();
                    long answeredAtKill = rows(url, "SELECT count(*) FROM guidesmith_batch_results");
                    long inFlightAtKill = box.calls().stream()
                            .filter(call -> call.startNanos() < killedAt && call.endNanos() >= killedAt - 100_000_000L).count();

                    Batch done = awaitStatus(onB, made.id(), Duration.ofMinutes(3), Batch.Status.COMPLETED);
                    assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(requests);
                    List<JsonNode> output = lines(onB, done.outputFileId().orElseThrow());
                    assertThat(perCustomId(output)).as("every custom_id exactly once, those node a answered included")
                            .containsOnlyKeys(customIds(requests)).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
                    assertThat(done.errorFileId()).isEmpty();
                    long successful = box.calls().stream().filter(CallRecord::success).count();
                    LOG.info("Node a killed with {} answers kept and {} calls in flight; {} calls repeated", answeredAtKill,
                            inFlightAtKill, successful - requests);
                    assertThat(successful - requests).as("calls made twice").isBetween(0L, inFlightAtKill);
                }
            }
        }
        assertThat(rows(url, "SELECT count(*) FROM guidesmith_batch_results")).isEqualTo(requests);
        assertThat(rows(url, "SELECT count(DISTINCT node) FROM guidesmith_batch_results")).as("both nodes answered").isEqualTo(2);
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
