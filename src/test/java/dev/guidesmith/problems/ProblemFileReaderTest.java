package dev.guidesmith.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProblemFileReaderTest {

    @TempDir
    Path dir;

    private List<ProblemEntry> read(String name, String content) throws IOException {
        return read(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private List<ProblemEntry> read(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        List<ProblemEntry> entries = new ArrayList<>();
        try (ProblemFileReader reader = ProblemFileReader.open(file, name)) {
            reader.forEachRemaining(entries::add);
        }
        return entries;
    }

    @Test
    void readsAnArray() throws IOException {
        List<ProblemEntry> entries = read("a.json", "[{\"id\":1,\"title\":\"Two Sum\"},{\"id\":\"x\",\"title\":\"T\"}]");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(1).position()).isEqualTo(2);
        assertThat(entries.get(1).json().get("id").asText()).isEqualTo("x");
    }

    @Test
    void readsTheProblemsArrayOfAnObjectWhateverComesBeforeIt() throws IOException {
        List<ProblemEntry> entries = read("b.json",
                "{\"source\":{\"nested\":[1,2]},\"problems\":[{\"id\":1,\"title\":\"A\"}],\"after\":true}");
        assertThat(entries).extracting(e -> e.json().get("title").asText()).containsExactly("A");
    }

    @Test
    void findsLeetCodesListsWhereverTheyAreInTheirObject() throws IOException {
        String graphQl = "{\"data\":{\"other\":{\"questions\":[{\"x\":1}]},\"problemsetQuestionList\":{\"total\":2,"
                + "\"questions\":[{\"questionFrontendId\":\"1\"},{\"questionFrontendId\":\"2\"}]}}}";
        assertThat(read("g.json", graphQl)).extracting(e -> e.json().get("questionFrontendId").asText()).containsExactly("1", "2");
        assertThat(read("v2.json", "{\"data\":{\"problemsetQuestionListV2\":{\"questions\":[{\"id\":9}],\"hasMore\":false}}}"))
                .hasSize(1);
        assertThat(read("all.json", "{\"data\":{\"allQuestions\":[{},{}]}}")).hasSize(2);
        assertThat(read("bare.json", "{\"total\":1,\"questions\":[{}]}")).hasSize(1);
        assertThat(read("api.json", "{\"user_name\":\"\",\"num_total\":1,\"stat_status_pairs\":[{\"stat\":{}}],\"category_slug\":\"all\"}"))
                .hasSize(1);
        // a path's name with something else than the list goes on to the next field
        assertThat(read("odd.json", "{\"data\":[1,2],\"problems\":{\"a\":1},\"questions\":[{},{},{}]}")).hasSize(3);
    }

    @Test
    void rejectsAnObjectOfAnotherShapeNamingTheAcceptedFormats() {
        assertThatThrownBy(() -> read("errors.json", "{\"data\":{\"problemsetQuestionList\":null},\"errors\":[{\"message\":\"x\"}]}"))
                .isInstanceOf(NotAProblemListException.class)
                .hasMessageContaining("errors.json holds a JSON object without a \"problems\" array")
                .hasMessageContaining("{\"problems\": [...]}")
                .hasMessageContaining("{\"data\": {\"problemsetQuestionList\": {\"questions\": [")
                .hasMessageContaining("problemsetQuestionListV2")
                .hasMessageContaining("{\"stat_status_pairs\": [")
                .hasMessageContaining("LeetCode's GraphQL list").hasMessageContaining("LeetCode's /api/problems/all/ list");
    }

    @Test
    void streamsA3600EntryGraphQlFile() throws IOException {
        StringBuilder json = new StringBuilder("{\"data\":{\"problemsetQuestionList\":{\"total\":3600,\"questions\":[");
        for (int id = 1; id <= 3600; id++) {
            json.append(id > 1 ? "," : "").append("""
                    {"acRate":50.5,"difficulty":"%s","freqBar":null,"frontendQuestionId":"%d","isFavor":false,"paidOnly":%b,\
                    "status":null,"title":"Problem %d","titleSlug":"problem-%d","topicTags":[{"name":"Array","id":"VG9w","slug":"array"},\
                    {"name":"Dynamic Programming","id":"VG9x","slug":"dynamic-programming"}],"hasSolution":true,"hasVideoSolution":false}"""
                    .formatted(List.of("Easy", "Medium", "Hard").get(id % 3), id, id % 7 == 0, id, id));
        }
        json.append("]}}}");
        ProblemValidator validator = new ProblemValidator();
        List<Problem> problems = new ArrayList<>();
        for (ProblemEntry entry : read("all-3600.json", json.toString())) {
            problems.add(validator.validate(entry));
        }
        assertThat(problems).hasSize(3600);
        assertThat(problems.get(3599).id()).isEqualTo("3600");
        assertThat(problems.get(3599).slug()).isEqualTo("problem-3600");
        assertThat(problems.get(3599).topics()).containsExactly("Array", "Dynamic Programming");
        assertThat(problems.stream().filter(Problem::paidOnly).count()).isEqualTo(3600 / 7);
    }

    @Test
    void readsJsonLinesAndKeepsBadLinesAsBadEntries() throws IOException {
        List<ProblemEntry> entries = read("c.jsonl", "{\"id\":1,\"title\":\"A\"}\n\nnot json\n{\"id\":2,\"title\":\"B\"}");
        assertThat(entries).hasSize(3);
        assertThat(entries.get(1).parseError()).contains("line 3");
        assertThat(entries.get(2).position()).isEqualTo(4);
    }

    @Test
    void rejectsFilesThatAreNotProblemLists() {
        assertThatThrownBy(() -> read("empty.json", "")).isInstanceOf(NotAProblemListException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> read("num.json", "42")).isInstanceOf(NotAProblemListException.class).hasMessageContaining("number");
        assertThatThrownBy(() -> read("obj.json", "{\"items\":[]}")).isInstanceOf(NotAProblemListException.class)
                .hasMessageContaining("without a \"problems\" array");
        assertThatThrownBy(() -> read("blank.jsonl", "\n \n")).isInstanceOf(NotAProblemListException.class);
    }

    @Test
    void reportsMalformedJsonWithFileAndPosition() {
        assertThatThrownBy(() -> read("bad.json", "[{\"id\":1,\"title\":\"A\"},\n{\"id\":2,"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("bad.json is not valid JSON at line 2");
    }

    @Test
    void reportsInvalidUtf8() {
        byte[] content = "[{\"id\":1,\"title\":\"A\u00e9\"}]".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> read("latin1.json", content))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("latin1.json is not valid JSON")
                .hasMessageContaining("UTF-8");
    }

    @Test
    void boundsAHugeJsonLine() throws IOException {
        String huge = "{\"id\":1,\"title\":\"" + "x".repeat(ProblemFileReader.MAX_ENTRY_BYTES + 10) + "\"}";
        List<ProblemEntry> entries = read("huge.jsonl", huge + "\n{\"id\":2,\"title\":\"B\"}\n");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).parseError()).contains("over the limit");
        assertThat(entries.get(1).json().get("id").asInt()).isEqualTo(2);
    }
}
