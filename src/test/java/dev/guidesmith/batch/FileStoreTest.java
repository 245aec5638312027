package dev.guidesmith.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest {

    @TempDir
    Path dir;

    /** A clock that moves one second per reading, so every file has its own created_at. */
    private static Clock ticking() {
        return new Clock() {
            private long second = 1_700_000_000L;

            @Override
            public Instant instant() {
                return Instant.ofEpochSecond(second++);
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
    }

    private Path upload(String content) throws IOException {
        Path uploads = Files.createDirectories(dir.resolve("uploads"));
        return Files.writeString(Files.createTempFile(uploads, "upload", ""), content);
    }

    private static String read(FileStore store, String id) throws IOException {
        try (InputStream in = store.openContent(id).orElseThrow()) {
            return new String(in.readAllBytes());
        }
    }

    private static List<String> ids(FileStore.Page page) {
        return page.data().stream().map(FileObject::id).toList();
    }

    @Test
    void anUploadIsMovedIntoTheStoreAndDescribedAsOpenAiDoes() throws Exception {
        FileStore store = FileStore.open(dir.resolve("files"));
        Path upload = upload("{\"custom_id\":\"a\"}\n");

        FileObject file = store.store(upload, "requests.jsonl", "batch");

        assertThat(upload).doesNotExist();
        assertThat(file.id()).matches("file-[0-9a-f]{24}");
        assertThat(file).extracting(FileObject::object, FileObject::bytes, FileObject::filename, FileObject::purpose, FileObject::status)
                .containsExactly("file", 18L, "requests.jsonl", "batch", "processed");
        assertThat(file.createdAt()).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(5L));
        assertThat(read(store, file.id())).isEqualTo("{\"custom_id\":\"a\"}\n");
        assertThat(Files.readString(dir.resolve("files").resolve(file.id() + ".json")))
                .contains("\"created_at\"").contains("\"object\" : \"file\"");
    }

    @Test
    void listsNewestFirstByDefaultAndPagesWithACursor() throws Exception {
        FileStore store = FileStore.open(dir.resolve("files"), ticking());
        List<String> oldestFirst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            oldestFirst.add(store.store(upload("file " + i), "f" + i + ".jsonl", "batch").id());
        }
        List<String> newestFirst = new ArrayList<>(oldestFirst);
        java.util.Collections.reverse(newestFirst);

        FileStore.Page all = store.list(new FileStore.Query(null, 10_000, false, null));
        assertThat(ids(all)).containsExactlyElementsOf(newestFirst);
        assertThat(all.hasMore()).isFalse();

        FileStore.Page first = store.list(new FileStore.Query(null, 2, false, null));
        assertThat(ids(first)).containsExactlyElementsOf(newestFirst.subList(0, 2));
        assertThat(first.hasMore()).isTrue();
        FileStore.Page second = store.list(new FileStore.Query(newestFirst.get(1), 2, false, null));
        assertThat(ids(second)).containsExactlyElementsOf(newestFirst.subList(2, 4));
        assertThat(second.hasMore()).isTrue();
        FileStore.Page last = store.list(new FileStore.Query(newestFirst.get(3), 2, false, null));
        assertThat(ids(last)).containsExactly(newestFirst.get(4));
        assertThat(last.hasMore()).isFalse();
        assertThat(store.list(new FileStore.Query(newestFirst.get(4), 2, false, null)).data()).isEmpty();

        FileStore.Page ascending = store.list(new FileStore.Query(oldestFirst.get(0), 3, true, null));
        assertThat(ids(ascending)).containsExactlyElementsOf(oldestFirst.subList(1, 4));
        assertThat(ascending.hasMore()).isTrue();
    }

    @Test
    void filesOfTheSameSecondHaveOneStableOrder() throws Exception {
        Clock frozen = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
        FileStore store = FileStore.open(dir.resolve("files"), frozen);
        for (int i = 0; i < 20; i++) {
            store.store(upload("same second " + i), "f.jsonl", "batch");
        }
        List<String> pages = new ArrayList<>();
        String after = null;
        FileStore.Page page;
        do {
            page = store.list(new FileStore.Query(after, 3, false, null));
            pages.addAll(ids(page));
            after = pages.isEmpty() ? null : pages.get(pages.size() - 1);
        } while (page.hasMore());
        assertThat(pages).hasSize(20).doesNotHaveDuplicates()
                .containsExactlyElementsOf(ids(store.list(new FileStore.Query(null, 100, false, null))));
    }

    @Test
    void theListCanBeNarrowedToAPurpose() throws Exception {
        FileStore store = FileStore.open(dir.resolve("files"), ticking());
        FileObject input = store.store(upload("in"), "in.jsonl", "batch");
        Path results = Files.writeString(dir.resolve("out.jsonl"), "out");
        FileObject output = store.register(results, "out.jsonl", "batch_output");

        assertThat(ids(store.list(new FileStore.Query(null, 10, false, "batch")))).containsExactly(input.id());
        assertThat(ids(store.list(new FileStore.Query(null, 10, false, "batch_output")))).containsExactly(output.id());
        assertThat(ids(store.list(new FileStore.Query(null, 10, false, null)))).containsExactly(output.id(), input.id());
    }

    @Test
    void anIdThatIsNotOneOfOursIsNeverUsedAsAPath() throws Exception {
        FileStore store = FileStore.open(dir.resolve("files"));
        Path secret = Files.writeString(dir.resolve("secret.json"), "{\"id\":\"x\"}");
        for (String id : List.of("../secret", "..%2Fsecret", "file-../../secret", "file-ABCDEF0123456789abcdef01",
                "file-0123456789abcdef0123456", "file-0123456789abcdef012345678", "", "file-0123456789abcdef01234567/")) {
            assertThat(FileStore.isFileId(id)).as(id).isFalse();
            assertThat(store.get(id)).as(id).isEmpty();
            assertThat(store.openContent(id)).as(id).isEmpty();
            assertThat(store.delete(id)).as(id).isFalse();
        }
        assertThat(FileStore.isFileId(null)).isFalse();
        assertThat(FileStore.isFileId("file-0123456789abcdef01234567")).isTrue();
        assertThat(store.get("file-0123456789abcdef01234567")).isEmpty();
        assertThat(secret).exists();
    }

    @Test
    void anUnknownCursorIsRefused() throws Exception {
        FileStore store = FileStore.open(dir.resolve("files"));
        store.store(upload("x"), "x.jsonl", "batch");
        assertThatThrownBy(() -> store.list(new FileStore.Query("file-0123456789abcdef01234567", 10, false, null)))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("file-0123456789abcdef01234567");
    }

    @Test
    void deletingAStoredFileRemovesItsContent() throws Exception {
        Path folder = dir.resolve("files");
        FileStore store = FileStore.open(folder);
        FileObject file = store.store(upload("gone soon"), "x.jsonl", "batch");

        assertThat(store.delete(file.id())).isTrue();

        assertThat(store.get(file.id())).isEmpty();
        assertThat(store.openContent(file.id())).isEmpty();
        assertThat(store.delete(file.id())).isFalse();
        try (Stream<Path> left = Files.list(folder)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aRegisteredFileIsReadWhereItLivesAndDeletingItKeepsItsContent() throws Exception {
        Path folder = dir.resolve("files");
        FileStore store = FileStore.open(folder);
        Path results = Files.createDirectories(dir.resolve("output/batches")).resolve("job.output.jsonl");
        Files.writeString(results, "{\"custom_id\":\"a\"}\n");

        FileObject file = store.register(results, "job.output.jsonl", "batch_output");

        assertThat(file.bytes()).isEqualTo(18);
        assertThat(file.purpose()).isEqualTo("batch_output");
        assertThat(read(store, file.id())).isEqualTo("{\"custom_id\":\"a\"}\n");
        assertThat(store.delete(file.id())).isTrue();
        assertThat(store.get(file.id())).isEmpty();
        assertThat(results).hasContent("{\"custom_id\":\"a\"}");
        try (Stream<Path> left = Files.list(folder)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void filesSurviveAReopenAndHalfDoneWorkIsCleanedUp() throws Exception {
        Path folder = dir.resolve("files");
        FileStore first = FileStore.open(folder, ticking());
        FileObject stored = first.store(upload("kept"), "a.jsonl", "batch");
        FileObject registered = first.register(Files.writeString(dir.resolve("r.jsonl"), "results"), "r.jsonl", "batch_output");
        // what a kill -9 can leave: content whose metadata was never written, a temporary metadata file
        Files.writeString(folder.resolve("file-00000000000000000000dead.content"), "orphan");
        Files.writeString(folder.resolve(".file-00000000000000000000beef.json.1234.tmp"), "{");

        FileStore second = FileStore.open(folder);

        assertThat(second.get(stored.id())).contains(stored);
        assertThat(second.get(registered.id())).contains(registered);
        assertThat(ids(second.list(new FileStore.Query(null, 10, false, null)))).containsExactly(registered.id(), stored.id());
        assertThat(read(second, stored.id())).isEqualTo("kept");
        assertThat(read(second, registered.id())).isEqualTo("results");
        assertThat(folder.resolve("file-00000000000000000000dead.content")).doesNotExist();
        assertThat(folder.resolve(".file-00000000000000000000beef.json.1234.tmp")).doesNotExist();
    }
}
