package dev.guidesmith.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.guidesmith.guide.FailureFiles;
import dev.guidesmith.guide.FailureRecords;
import dev.guidesmith.jobs.DoneRegistry;
import dev.guidesmith.stages.StageResult;
import dev.guidesmith.support.Json;
import dev.guidesmith.testing.PostgresDatabase;
import dev.guidesmith.testkit.PostgresServer;
import dev.guidesmith.testkit.ServiceUnderTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Each PostgreSQL store against a real server, seen from two nodes (two pools) at once. */
class PostgresStoresTest {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    private StoreSettings settings;
    private SharedStore nodeA;
    private SharedStore nodeB;

    @BeforeEach
    void openTwoNodes() throws Exception {
        settings = new StoreSettings(POSTGRES.server().newDatabase(), PostgresServer.USER, "", 4, Duration.ofSeconds(5),
                Duration.ofMillis(200));
        nodeA = SharedStore.open(settings, "a");
        nodeB = SharedStore.open(settings, "b");
    }

    @AfterEach
    void closeNodes() {
        nodeA.close();
        nodeB.close();
    }

    @Test
    void aProblemDoneOnOneNodeIsDoneOnTheOther() {
        DoneRegistry a = new DoneRegistry(new PostgresDoneKeys(nodeA, "a"));
        DoneRegistry b = new DoneRegistry(new PostgresDoneKeys(nodeB, "b"));
        a.open();
        b.open();
        assertThat(a.claim("1@x")).isTrue();
        assertThat(b.isDone("1@x")).isFalse();
        a.markDone("1@x");
        a.markDone("1@x"); // a second mark changes nothing
        assertThat(b.isDone("1@x")).isTrue();
        assertThat(b.claim("1@x")).as("done elsewhere: nothing to claim").isFalse();
        assertThat(b.isDone("1@y")).as("another version of the problem").isFalse();
        assertThat(b.doneCount()).isEqualTo(1);

        DoneRegistry restarted = new DoneRegistry(new PostgresDoneKeys(nodeB, "b"));
        restarted.open();
        assertThat(restarted.isDone("1@x")).isTrue();
        restarted.clear();
        assertThat(new PostgresDoneKeys(nodeA, "a").contains("1@x")).isFalse();
    }

    @Test
    void aStageResultStoredByOneNodeIsFoundByTheOtherAndARepairReplacesIt() {
        PostgresStageStore a = new PostgresStageStore(nodeA);
        PostgresStageStore b = new PostgresStageStore(nodeB);
        StageResult first = result("describe", "ab12cd", "first answer");
        a.write(first);
        assertThat(b.read("describe", "ab12cd")).contains(first);
        assertThat(b.read("topics", "ab12cd")).as("another stage").isEmpty();
        assertThat(b.read("describe", "ab12ce")).as("another fingerprint").isEmpty();

        StageResult repaired = result("describe", "ab12cd", "repaired answer");
        b.write(repaired);
        assertThat(a.read("describe", "ab12cd")).contains(repaired);
        assertThat(Json.pretty(a.read("describe", "ab12cd").orElseThrow())).isEqualTo(Json.pretty(repaired));
    }

    private static StageResult result(String stage, String fingerprint, String text) {
        return new StageResult(stage, "42", fingerprint, TextNode.valueOf(text), "model", "gpu", "qwen", false, 120, 300,
                4200, "2026-12-01T10:00:00Z");
    }

    @Test
    void aFailureRecordWrittenOnOneNodeIsListedOnTheOtherAndItsFileStaysWhereTheProblemFailed(@TempDir Path dir)
            throws Exception {
        PostgresFailureRecords a = new PostgresFailureRecords(nodeA, new FailureFiles(dir.resolve("a")), "a");
        PostgresFailureRecords b = new PostgresFailureRecords(nodeB, new FailureFiles(dir.resolve("b")), "b");
        JsonNode first = Json.MAPPER.readTree("{\"problems\": [{\"id\": 7, \"title\": \"Seven\"}],"
                + " \"failure\": {\"stage\": \"topics\", \"message\": \"no reply\"}}");
        a.write("7", first);
        Thread.sleep(10); // a later write time
        b.write("8", Json.MAPPER.readTree("{\"problems\": [], \"failure\": {\"stage\": \"input\"}}"));
        assertThat(dir.resolve("a/7.json")).as("a problems file to drop again, on the node where it failed").exists();
        assertThat(Json.MAPPER.readTree(dir.resolve("a/7.json").toFile())).isEqualTo(first);

        assertThat(b.newest(5)).extracting(FailureRecords.Stored::name).containsExactly("7", "8");
        assertThat(b.newest(1)).extracting(FailureRecords.Stored::name).containsExactly("8");
        assertThat(b.newest(5).get(0).record()).isEqualTo(first);
        assertThat(Json.pretty(b.newest(5).get(0).record())).as("fields in their order").isEqualTo(Json.pretty(first));

        assertThat(b.delete("7")).as("the problem succeeded on node b").isTrue();
        assertThat(a.newest(5)).extracting(FailureRecords.Stored::name).containsExactly("8");
        assertThat(b.delete("7")).isFalse();
    }

    @Test
    void aDatabaseThatCannotBeReachedStopsTheStartNamingTheSetting() throws Exception {
        StoreSettings nowhere = new StoreSettings("jdbc:postgresql://127.0.0.1:" + ServiceUnderTest.freePort() + "/guides",
                "someone", "s3cret-password", 2, Duration.ofSeconds(2), Duration.ofSeconds(1));
        assertThatThrownBy(() -> SharedStore.open(nowhere, "a"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("pipeline.store.url=" + nowhere.url())
                .hasMessageContaining("pipeline.store.user=someone")
                .hasMessageContaining("refused")
                .message().doesNotContain("s3cret-password");
    }

    @Test
    void oneNodeHoldsTheLeaderLockAndAnotherTakesItWhenTheHoldersSessionDies() throws Exception {
        try (AdvisoryLock a = new AdvisoryLock(settings, "guidesmith leader inbox", "a");
             AdvisoryLock b = new AdvisoryLock(settings, "guidesmith leader inbox", "b");
             AdvisoryLock other = new AdvisoryLock(settings, "guidesmith leader other", "b")) {
            assertThat(a.holdOrTake()).isTrue();
            assertThat(b.holdOrTake()).isFalse();
            assertThat(a.holdOrTake()).as("kept").isTrue();
            assertThat(other.holdOrTake()).as("another name is another lock").isTrue();

            // the holder's session ends as it would if its node died: the server frees the lock
            try (Connection admin = DriverManager.getConnection(settings.url(), PostgresServer.USER, "");
                 Statement statement = admin.createStatement()) {
                ResultSet holder = statement.executeQuery("SELECT pid FROM pg_stat_activity"
                        + " WHERE application_name = 'guidesmith a leader lock'");
                assertThat(holder.next()).as("the holder's session is there").isTrue();
                int pid = holder.getInt(1);
                statement.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            // the backend exits a moment after the signal; the other node tries on its timer
            assertThat(takesWithinSeconds(b, 5)).as("taken over").isTrue();
            assertThat(a.holdOrTake()).as("the old holder knows it lost the lock").isFalse();
            b.close();
            assertThat(takesWithinSeconds(a, 5)).as("released by closing").isTrue();
        }
    }

    /** Tries as a node's timer would, every 50 ms. */
    private static boolean takesWithinSeconds(AdvisoryLock lock, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        boolean taken = lock.holdOrTake();
        while (!taken && System.nanoTime() < deadline) {
            Thread.sleep(50);
            taken = lock.holdOrTake();
        }
        return taken;
    }
}
