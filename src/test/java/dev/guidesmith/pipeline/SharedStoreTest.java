package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.testing.GuideAssertions;
import dev.guidesmith.testing.SimOllama;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testing.PostgresDatabase;
import dev.guidesmith.testkit.PostgresServer;
import dev.guidesmith.testkit.ServiceUnderTest;
import java.nio.file.Files;
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

/**
 * The service (the real camel-main configuration) with its state in a real PostgreSQL
 * ({@code pipeline.store.url}): it finishes a problems file with its done keys, stage results, job
 * and items in the database, and another node, with a work folder of its own, skips every problem
 * of the same file dropped again.
 */
class SharedStoreTest {

    static final int PROBLEMS = PipelineEndToEndTest.PROBLEMS;
    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @TempDir
    Path dir;

    private static Map<String, String> node(String url, String id, Path work, Map<String, String> fleet) {
        Map<String, String> settings = new HashMap<>(fleet);
        settings.put("pipeline.store.url", url);
        settings.put("pipeline.store.user", PostgresServer.USER);
        settings.put("pipeline.node-id", id);
        settings.put("pipeline.store.leader-check-seconds", "0.2");
        settings.put("pipeline.work", work.toString());
        return settings;
    }

    @Test
    void aNodeFinishesAFileWithItsStateInPostgresAndAnotherNodeSkipsItAll() throws Exception {
        String url = POSTGRES.server().newDatabase();
        try (SimOllama box = SimOllama.start("box")) {
            try (InJvmService first = InJvmService.start(dir, node(url, "node-1", dir.resolve("work-1"), box.fleet()))) {
                first.drop(PipelineEndToEndTest.SAMPLE, "leetcode.json");
                await("21 guides", Duration.ofMinutes(2), () -> first.guideCount() == PROBLEMS && first.jobsSettled());
                JsonNode node = first.status().path("node");
                assertThat(node.path("id").asText()).isEqualTo("node-1");
                assertThat(node.path("role").asText()).isEqualTo("leader");
                assertThat(node.path("store").asText()).isEqualTo("postgresql");
                assertThat(first.failureCount()).isZero();
                for (Path guide : first.guides()) {
                    GuideAssertions.assertComplete(guide);
                }
            }
            assertThat(dir.resolve("work-1/done.log")).as("no local done log").doesNotExist();
            assertThat(dir.resolve("work-1/cache")).as("no local stage cache").doesNotExist();
            assertThat(rows(url, "SELECT count(*) FROM guidesmith_done")).isEqualTo(PROBLEMS);
            assertThat(rows(url, "SELECT count(*) FROM guidesmith_done WHERE node = 'node-1'")).isEqualTo(PROBLEMS);
            assertThat(rows(url, "SELECT count(*) FROM guidesmith_stage_results"))
                    .isEqualTo(PROBLEMS * 4L - PipelineEndToEndTest.WITH_DESCRIPTION);

            long calls = box.calls();
            try (InJvmService second = InJvmService.start(dir, node(url, "node-2", dir.resolve("work-2"), box.fleet()))) {
                second.drop(PipelineEndToEndTest.SAMPLE, "again.json");
                second.awaitSettled("again.json", Duration.ofMinutes(1));
                assertThat(second.status().path("alreadyDone").asLong()).isEqualTo(PROBLEMS);
                assertThat(second.status().path("written").asLong()).isZero();
            }
            assertThat(box.calls()).as("model calls for a file another node finished").isEqualTo(calls);
            assertThat(rows(url, "SELECT count(*) FROM guidesmith_jobs WHERE finished_at IS NOT NULL")).isEqualTo(2);
            assertThat(rows(url, "SELECT count(*) FROM guidesmith_items WHERE outcome = 'DONE'")).isEqualTo(PROBLEMS);
            assertThat(rows(url, "SELECT count(*) FROM guidesmith_items WHERE outcome = 'ALREADY_DONE'")).isEqualTo(PROBLEMS);
        }
    }

    @Test
    void aDatabaseThatCannotBeReachedStopsTheStartNamingTheSetting() throws Exception {
        String nowhere = "jdbc:postgresql://127.0.0.1:" + ServiceUnderTest.freePort() + "/guides";
        Map<String, String> settings = node(nowhere, "node-1", dir.resolve("work"), Map.of());
        settings.put("pipeline.store.connect-timeout-seconds", "2");
        settings.put("pipeline.store.password", "s3cret-password");
        Throwable failure = catchStart(settings);
        assertThat(messages(failure)).contains("Cannot reach the shared store at pipeline.store.url=" + nowhere)
                .doesNotContain("s3cret-password");
    }

    private Throwable catchStart(Map<String, String> settings) {
        try {
            InJvmService.start(dir, settings).close();
            throw new AssertionError("the service started without its database");
        } catch (Exception e) {
            return e;
        }
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable e = failure; e != null; e = e.getCause()) {
            all.append(e.getMessage()).append('\n');
        }
        return all.toString();
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
