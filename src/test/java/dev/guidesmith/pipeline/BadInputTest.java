package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.support.Json;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testing.SimOllama;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input never stops the service: a bad file is set aside with its reason, a bad entry becomes
 * a failure record naming the file and entry, and the good entries of the same file finish.
 */
class BadInputTest {

    private static SimOllama box;
    private static InJvmService service;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        box = SimOllama.start("box");
        service = InJvmService.start(dir, box.fleet());
    }

    @AfterAll
    static void stop() {
        service.close();
        box.close();
    }

    private static void assertRejected(String name, String content, String reasonPart) throws Exception {
        service.drop(content, name);
        assertRejected(name, reasonPart);
    }

    private static void assertRejected(String name, String reasonPart) throws Exception {
        Path reason = service.inbox().resolve(".rejected/" + name + ".reason.txt");
        // the reason is written inside the route, the file is moved when the exchange completes: await both
        Path rejected = service.inbox().resolve(".rejected/" + name);
        await(name + " to be rejected", Duration.ofSeconds(30), () -> Files.exists(reason) && Files.exists(rejected));
        assertThat(service.inbox().resolve(name)).doesNotExist();
        assertThat(Files.readString(reason)).contains(name).contains(reasonPart);
    }

    private static JsonNode failureRecord(String fileName) throws Exception {
        Path record = service.work().resolve("failed").resolve(fileName);
        await(record + " to be written", Duration.ofSeconds(30), () -> Files.exists(record));
        return Json.MAPPER.readTree(record.toFile());
    }

    @Test
    void malformedJsonIsSetAsideWithWhereItBroke() throws Exception {
        assertRejected("broken.json", "[{\"id\": 1, \"title\": \"Two Sum\"},\n {\"id\": 2, \"title\": ", "line 2");
    }

    @Test
    void anEmptyFileIsSetAside() throws Exception {
        assertRejected("empty.json", "", "empty");
        assertRejected("empty-list.json", "[]", "no problems");
    }

    @Test
    void aJsonValueThatIsNotAProblemListIsSetAside() throws Exception {
        assertRejected("number.json", "42", "expected an array of problems");
        assertRejected("object.json", "{\"items\": [{\"id\": 1}]}", "without a \"problems\" array");
    }

    @Test
    void anObjectOfAnotherShapeIsSetAsideNamingTheFormatsThatAreAccepted() throws Exception {
        // LeetCode's answer to another query (one question's details), not a list
        assertRejected("question.json", "{\"data\": {\"question\": {\"questionFrontendId\": \"1\", \"title\": \"Two Sum\"}}}",
                "without a \"problems\" array or a LeetCode list of questions");
        String reason = Files.readString(service.inbox().resolve(".rejected/question.json.reason.txt"));
        assertThat(reason).contains("{\"problems\": [...]}").contains("guidesmith's own list")
                .contains("{\"data\": {\"problemsetQuestionList\": {\"questions\": [").contains("LeetCode's GraphQL list")
                .contains("{\"stat_status_pairs\": [").contains("LeetCode's /api/problems/all/ list");
    }

    @Test
    void invalidUtf8IsSetAside() throws Exception {
        Path latin1 = dir.resolve("latin1-source.json");
        Files.write(latin1, "[{\"id\": 5, \"title\": \"Caf\u00e9\"}]".getBytes(StandardCharsets.ISO_8859_1));
        service.drop(latin1, "latin1.json");
        assertRejected("latin1.json", "UTF-8");
    }

    @Test
    void badEntriesBecomeFailureRecordsAndTheGoodOnesFinish() throws Exception {
        String mixed = """
                {"problems": [
                  {"id": 9001, "title": "Good One", "likes": 12, "nested": {"ignored": true}},
                  {"title": "No id here"},
                  {"id": 9003},
                  "not an object",
                  {"id": "../../escape", "title": "Path-like id"},
                  {"id": "/etc/passwd", "title": "Absolute id"},
                  {"id": 9007, "title": "Huge", "description": "%s"}
                ]}
                """.formatted("x".repeat(100_000));
        service.drop(mixed, "mixed.json");
        service.awaitSettled("mixed.json", Duration.ofMinutes(1));

        assertThat(service.output().resolve("question_9001.md")).exists();
        assertThat(service.output().resolve("question_9007.md")).exists();
        assertThat(Files.readString(service.output().resolve("question_9007.md"))).hasSizeLessThan(60_000).contains("[…]");
        List<Path> escaped = guidesWith("Path-like id", "Absolute id");
        assertThat(escaped).hasSize(2).allSatisfy(guide -> {
            assertThat(guide.getParent()).isEqualTo(service.output());
            assertThat(guide.getFileName().toString()).doesNotContain("..").matches("question_[A-Za-z0-9_-]+\\.md");
        });
        assertThat(Files.readString(escaped.get(0))).containsAnyOf("id: \"../../escape\"", "id: \"/etc/passwd\"");
        assertThat(dir.resolve("escape")).doesNotExist();

        JsonNode noTitle = failureRecord("9003.json");
        assertThat(noTitle.at("/failure/message").asText()).contains("mixed.json").contains("entry #3").contains("title");
        assertThat(noTitle.at("/failure/stage").asText()).isEqualTo("input");
        assertThat(noTitle.at("/problems/0/id").asInt()).isEqualTo(9003);
        List<String> messages = new ArrayList<>();
        try (Stream<Path> records = Files.list(service.work().resolve("failed"))) {
            for (Path record : records.filter(p -> p.getFileName().toString().startsWith("entry-")).toList()) {
                messages.add(Json.MAPPER.readTree(record.toFile()).at("/failure/message").asText());
            }
        }
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("mixed.json entry #2").contains("\"id\""));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("mixed.json entry #4").contains("not a JSON object"));
    }

    @Test
    void aBadLineOfJsonLinesIsAFailureAndTheOtherLinesFinish() throws Exception {
        service.drop("{\"id\": 9101, \"title\": \"Line one\"}\n{not json}\n{\"id\": 9103, \"title\": \"Line three\"}\n", "lines.jsonl");
        service.awaitSettled("lines.jsonl", Duration.ofMinutes(1));
        assertThat(service.output().resolve("question_9101.md")).exists();
        assertThat(service.output().resolve("question_9103.md")).exists();
        try (Stream<Path> records = Files.list(service.work().resolve("failed"))) {
            assertThat(records.map(p -> p.getFileName().toString())).anySatisfy(name -> assertThat(name).endsWith("-2.json"));
        }
    }

    @Test
    void aDuplicateIdWithOtherContentIsSetAsideAndTheFirstFinishes() throws Exception {
        service.drop("[{\"id\": 9201, \"title\": \"First version\"}, {\"id\": 9201, \"title\": \"Second version\"},"
                + " {\"id\": 9201, \"title\": \"First version\"}]", "dupes.json");
        service.awaitSettled("dupes.json", Duration.ofMinutes(1));
        assertThat(Files.readString(service.output().resolve("question_9201.md"))).contains("First version")
                .doesNotContain("Second version");
        try (Stream<Path> records = Files.list(service.work().resolve("failed"))) {
            Path duplicate = records.filter(p -> p.getFileName().toString().startsWith("9201.duplicate-")).findFirst().orElseThrow();
            assertThat(Json.MAPPER.readTree(duplicate.toFile()).at("/failure/message").asText()).contains("duplicate id");
        }
    }

    @Test
    void aFileStillBeingWrittenIsTakenOnlyWhenComplete() throws Exception {
        Path file = service.inbox().resolve("slow.jsonl");
        Files.createDirectories(service.inbox());
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 8; i++) {
                out.write(("{\"id\": " + (9300 + i) + ", \"title\": \"Slow " + i + "\"}\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(50); // well under the settle time, so the file keeps "changing"
            }
            out.write("{\"id\": 9308, \"title\": ".getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(50);
            out.write("\"Slow 8\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        service.awaitSettled("slow.jsonl", Duration.ofMinutes(1));
        for (int i = 0; i <= 8; i++) {
            assertThat(service.output().resolve("question_" + (9300 + i) + ".md")).exists();
        }
    }

    private static List<Path> guidesWith(String... titles) throws Exception {
        List<Path> found = new ArrayList<>();
        for (Path guide : service.guides()) {
            String text = Files.readString(guide);
            for (String title : titles) {
                if (text.contains("title: \"" + title + "\"")) {
                    found.add(guide);
                }
            }
        }
        return found;
    }
}
