package dev.guidesmith.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guidesmith.batch.BatchRecord;
import dev.guidesmith.batch.BatchStatus;
import dev.guidesmith.batch.BatchUsage;
import dev.guidesmith.batch.FileObject;
import dev.guidesmith.batch.FileStore;
import dev.guidesmith.batch.ResultLog;
import dev.guidesmith.testing.PostgresDatabase;
import dev.guidesmith.testkit.PostgresServer;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The batch state's PostgreSQL stores against a real server, seen from two nodes (two pools) at once. */
class PostgresBatchStoresTest {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @TempDir
    Path dir;

    private SharedStore nodeA;
    private SharedStore nodeB;

    @BeforeEach
    void openTwoNodes() throws Exception {
        StoreSettings settings = new StoreSettings(POSTGRES.server().newDatabase(), PostgresServer.USER, "", 4,
                Duration.ofSeconds(5), Duration.ofMillis(200));
        nodeA = SharedStore.open(settings, "a");
        nodeB = SharedStore.open(settings, "b");
    }

    @AfterEach
    void closeNodes() {
        nodeA.close();
        nodeB.close();
    }

    private Path upload(String content) throws Exception {
        return Files.writeString(Files.createTempFile(Files.createDirectories(dir.resolve("uploads")), "upload", ".part"), content);
    }

    private static String read(FileStore store, String id) throws Exception {
        try (InputStream in = store.openContent(id).orElseThrow()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> ids(FileStore.Page page) {
        return page.data().stream().map(FileObject::id).toList();
    }

    /** Every page of a listing, following the cursor. */
    private static List<String> allPages(FileStore store, int limit, boolean ascending, String purpose) {
        List<String> listed = new ArrayList<>();
        FileStore.Page page;
        do {
            page = store.list(new FileStore.Query(listed.isEmpty() ? null : listed.get(listed.size() - 1), limit, ascending, purpose));
            listed.addAll(ids(page));
        } while (page.hasMore());
        return listed;
    }

    @Test
    void aFileStoredOnOneNodeIsListedReadCopiedAndDeletedOnTheOther() throws Exception {
        FileStore a = new PostgresFileStore(nodeA, dir.resolve("a/file-copies"), "a");
        FileStore b = new PostgresFileStore(nodeB, dir.resolve("b/file-copies"), "b");
        Path upload = upload("{\"custom_id\":\"x\"}\n");
        FileObject stored = a.store(upload, "requests.jsonl", "batch");
        assertThat(upload).as("the upload, once in the database").doesNotExist();
        assertThat(stored).extracting(FileObject::object, FileObject::bytes, FileObject::filename, FileObject::purpose,
                FileObject::status).containsExactly("file", 18L, "requests.jsonl", "batch", "processed");
        assertThat(b.get(stored.id())).contains(stored);
        assertThat(read(b, stored.id())).isEqualTo("{\"custom_id\":\"x\"}\n");
        Path copy;
        try (FileStore.LocalContent onDisk = b.localContent(stored.id()).orElseThrow()) {
            copy = onDisk.path();
            assertThat(copy).startsWith(dir.resolve("b/file-copies")).hasContent("{\"custom_id\":\"x\"}");
        }
        assertThat(copy).as("the copy, once its reader is done").doesNotExist();

        Path results = Files.writeString(dir.resolve("results.jsonl"), "{\"custom_id\":\"x\",\"response\":{}}\n");
        FileObject registered = b.register(results, "x.output.jsonl", "batch_output");
        Files.delete(results);
        assertThat(read(a, registered.id())).as("registered content is copied in").isEqualTo("{\"custom_id\":\"x\",\"response\":{}}\n");

        assertThat(b.delete(stored.id())).isTrue();
        assertThat(a.get(stored.id())).isEmpty();
        assertThat(a.openContent(stored.id())).isEmpty();
        assertThat(a.delete(stored.id())).isFalse();
        assertThat(a.get("../../etc/passwd")).isEmpty();
    }

    @Test
    void pagesGoThroughEveryFileOnceInBothOrdersAndByPurpose() throws Exception {
        FileStore a = new PostgresFileStore(nodeA, dir.resolve("a/file-copies"), "a");
        FileStore b = new PostgresFileStore(nodeB, dir.resolve("b/file-copies"), "b");
        List<String> inputs = new ArrayList<>();
        List<String> every = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // many in one second: the id orders them
            String id = (i % 2 == 0 ? a : b).store(upload("file " + i), "f" + i + ".jsonl", i == 3 ? "batch_output" : "batch").id();
            every.add(id);
            if (i != 3) {
                inputs.add(id);
            }
        }
        List<String> oldestFirst = a.list(new FileStore.Query(null, 100, true, null)).data().stream().map(FileObject::id).toList();
        assertThat(oldestFirst).containsExactlyInAnyOrderElementsOf(every);
        List<String> newestFirst = new ArrayList<>(oldestFirst);
        Collections.reverse(newestFirst);

        assertThat(allPages(b, 3, false, null)).containsExactlyElementsOf(newestFirst);
        assertThat(allPages(b, 2, true, null)).containsExactlyElementsOf(oldestFirst);
        assertThat(allPages(a, 2, false, "batch")).containsExactlyElementsOf(newestFirst.stream().filter(inputs::contains).toList());
        FileStore.Page first = b.list(new FileStore.Query(null, 7, false, null));
        assertThat(first.hasMore()).isFalse();
        assertThatThrownBy(() -> a.list(new FileStore.Query("file-0123456789abcdef01234567", 3, false, null)))
                .isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void aBatchMadeOnOneNodeIsChangedByBothWithoutLosingAChange() throws Exception {
        PostgresBatchRecords a = new PostgresBatchRecords(nodeA, "a");
        PostgresBatchRecords b = new PostgresBatchRecords(nodeB, "b");
        BatchRecord made = a.create("scores.jsonl", "file-0123456789abcdef01234567", "/v1/chat/completions", "24h", 123L,
                Map.of("team", "hiring"));
        assertThat(b.get(made.id).orElseThrow().metadata).containsEntry("team", "hiring");
        assertThat(a.madeHere(made)).isTrue();
        assertThat(b.madeHere(b.get(made.id).orElseThrow())).as("b resumes no validation of a's").isFalse();

        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> changes = new ArrayList<>();
            for (PostgresBatchRecords node : List.of(a, b)) {
                changes.add(two.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        node.change(made.id, r -> r.completed++);
                    }
                }));
            }
            for (Future<?> change : changes) {
                change.get();
            }
        } finally {
            two.shutdown();
        }
        assertThat(a.get(made.id).orElseThrow().completed).as("changes from two nodes at once").isEqualTo(50);

        b.change(made.id, r -> {
            r.job = "job-1";
            r.outputFile = "scores.output.jsonl";
            r.status = BatchStatus.IN_PROGRESS;
        });
        assertThat(a.forJob("job-1").orElseThrow().id).isEqualTo(made.id);
        assertThat(a.forJob("job-2")).isEmpty();
        assertThat(a.resultsNamed("scores.output.jsonl")).isTrue();
        assertThat(a.resultsNamed("other.output.jsonl")).isFalse();
        BatchRecord newer = b.create("more.jsonl", null, "/v1/completions", null, null, Map.of());
        List<BatchRecord> all = a.all();
        assertThat(all).extracting(r -> r.id).containsExactlyInAnyOrder(newer.id, made.id);
        assertThat(all).as("newest first; of one second, by id").isSortedAccordingTo(
                Comparator.comparingLong((BatchRecord r) -> r.createdAt).thenComparing(r -> r.id).reversed());
        assertThatThrownBy(() -> a.change("batch_000000000000000000000000", r -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRequestKeepsItsFirstLineAndLinesComeBackInTheOrderTheyCame() throws Exception {
        ResultLog a = new PostgresResultLog(nodeA, "a");
        ResultLog b = new PostgresResultLog(nodeB, "b");
        assertThat(a.keep(line(3, true, new BatchUsage(10, 8, 2)))).isTrue();
        assertThat(b.keep(line(1, false, BatchUsage.NONE))).isTrue();
        assertThat(b.keep(line(2, true, new BatchUsage(5, 0, 1)))).isTrue();
        assertThat(b.keep(line(3, false, BatchUsage.NONE))).as("request 3 has its line").isFalse();

        StringWriter answers = new StringWriter();
        a.copy("job-1", true, answers);
        assertThat(answers.toString()).isEqualTo("line 3\nline 2\n");
        StringWriter errors = new StringWriter();
        b.copy("job-1", false, errors);
        assertThat(errors.toString()).isEqualTo("line 1\n");
        assertThat(a.counts("job-1")).contains(new ResultLog.ResultCounts(2, 1, new BatchUsage(15, 8, 3)));
        assertThat(a.counts("job-2")).contains(new ResultLog.ResultCounts(0, 0, BatchUsage.NONE));
    }

    private static ResultLog.ResultLine line(long position, boolean answered, BatchUsage usage) {
        return new ResultLog.ResultLine("job-1", position, "c" + position, answered, "line " + position + "\n", usage);
    }
}
