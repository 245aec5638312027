package dev.guidesmith.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobCounts;
import dev.guidesmith.support.Templates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** output/index.md: every guide linked, by difficulty and by topic, with counts; rewritten only when something changed. */
class GuideIndexTest {

    @TempDir
    Path output;

    private GuideIndex index() {
        return new GuideIndex(output, "index.md",
                Templates.compile(Templates.read(Path.of("routes/templates/index.md.mustache"), "index template")));
    }

    /** A guide as GuideWriter writes it: front matter values as JSON. */
    private Path guide(String file, String frontMatter) throws Exception {
        return Files.writeString(output.resolve(file), "---\n" + frontMatter + "\n---\n\n# Body\n\n## Problem\n\ntext: not front matter\n");
    }

    private Path guide(Object id, String title, String difficulty, String topicsJson) throws Exception {
        String idText = id instanceof Number ? id.toString() : "\"" + id + "\"";
        return guide("question_" + id + ".md", "id: " + idText + "\ntitle: \"" + title + "\"\nslug: \"s\"\n"
                + (difficulty == null ? "" : "difficulty: \"" + difficulty + "\"\n")
                + (topicsJson == null ? "" : "topics: " + topicsJson + "\n") + "models: [\"m\"]");
    }

    @Test
    void listsEveryGuideByDifficultyAndTopicWithCounts() throws Exception {
        guide(10, "Regular Expression Matching", "Hard", "[\"String\",\"Dynamic Programming\"]");
        guide(2, "Add Two Numbers", "Medium", "[\"Linked List\",\"Math\"]");
        guide(1, "Two Sum", "Easy", "[\"Array\",\"Hash Table\"]");
        guide(3, "Longest [Sub]string *Without* Repeats", "medium", "[\"String\"]");
        guide("two-sum-iv", "Two Sum IV", null, null);
        guide(7, "Reverse Integer", "Tricky", "[\"Math\"]");
        GuideIndex index = index();

        assertThat(index.writeIfChanged()).isTrue();
        String text = Files.readString(output.resolve("index.md"));

        assertThat(text).startsWith("---\ntitle: \"Study guides\"\n---\n");
        assertThat(text).contains("**6** guides · Easy 1 · Medium 2 · Hard 1 · Tricky 1 · Unrated 1 · 6 topics.");
        assertThat(order(text, "### Easy (1)", "### Medium (2)", "### Hard (1)", "### Tricky (1)", "### Unrated (1)",
                "## By topic")).isTrue();
        // numeric ids in numeric order (2 before 3 before 10), difficulty case folded into Medium
        assertThat(order(text, "### Medium (2)", "- [2. Add Two Numbers](question_2.md) · Linked List, Math",
                "- [3. Longest \\[Sub\\]string \\*Without\\* Repeats](question_3.md) · String", "### Hard")).isTrue();
        assertThat(text).contains("- [two-sum-iv. Two Sum IV](question_two-sum-iv.md)\n");
        // topics A-Z, each with its guides and their difficulty
        assertThat(order(text, "## By topic", "### Array (1)", "### Dynamic Programming (1)", "### Hash Table (1)",
                "### Linked List (1)", "### Math (2)", "### String (2)", "### No topic (1)")).isTrue();
        assertThat(order(text, "### Math (2)", "- [2. Add Two Numbers](question_2.md) · Medium",
                "- [7. Reverse Integer](question_7.md) · Tricky", "### String (2)")).isTrue();
        assertThat(order(text, "### String (2)", "](question_3.md) · Medium", "- [10. Regular Expression Matching](question_10.md) · Hard"))
                .isTrue();
        assertThat(order(text, "### No topic (1)", "- [two-sum-iv. Two Sum IV](question_two-sum-iv.md)\n")).isTrue();
        assertThat(text).doesNotContain("Body").doesNotContain("index.md)");
    }

    @Test
    void rewritesOnlyWhenAGuideLandedAndAtomically() throws Exception {
        guide(1, "Two Sum", "Easy", "[\"Array\"]");
        GuideIndex index = index();
        assertThat(index.writeIfChanged()).isTrue();
        assertThat(index.writeIfChanged()).as("nothing changed").isFalse();

        index.guideWritten(guide(2, "Add Two Numbers", "Medium", "[\"Math\"]"));
        index.guideWritten(guide(3, "Longest Substring", "Medium", "[\"String\"]"));
        assertThat(index.writeIfChanged()).isTrue();
        assertThat(Files.readString(index.file())).contains("**3** guides");
        assertThat(index.writeIfChanged()).isFalse();

        // a guide rewritten (say after a template change) replaces its entry
        index.guideWritten(guide(2, "Add Two Numbers", "Hard", "[\"Math\"]"));
        assertThat(index.writeIfChanged()).isTrue();
        assertThat(Files.readString(index.file())).contains("**3** guides").contains("### Hard (1)").doesNotContain("### Medium (2)");

        try (Stream<Path> files = Files.list(output)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void theTickAfterAJobFinishedWritesWhateverTheLastWriteCost() throws Exception {
        guide(1, "Two Sum", "Easy", "[\"Array\"]");
        GuideIndex index = index();
        assertThat(index.writeIfChanged()).isTrue();
        index.guideWritten(guide(2, "Add Two Numbers", "Medium", "[\"Math\"]"));
        index.jobFinished(new Job("job", "guides", "file.json", null, 2, "2026-01-01T00:00:00Z"), new JobCounts(2, 0, 0));
        assertThat(index.writeIfDue()).isTrue();
        assertThat(Files.readString(index.file())).contains("**2** guides");
        assertThat(index.writeIfDue()).as("nothing changed").isFalse();
    }

    @Test
    void aRestartedServiceListsTheGuidesOfEarlierRuns() throws Exception {
        guide(1, "Two Sum", "Easy", "[\"Array\"]");
        guide(2, "Add Two Numbers", "Medium", "[\"Math\"]");
        assertThat(index().writeIfChanged()).isTrue();

        GuideIndex restarted = index();
        restarted.guideWritten(guide(3, "Longest Substring", "Medium", "[\"String\"]"));
        assertThat(restarted.writeIfChanged()).isTrue();
        assertThat(Files.readString(restarted.file())).contains("**3** guides").contains("(question_1.md)");
        assertThat(restarted.size()).isEqualTo(3);
    }

    @Test
    void anEmptyFolderGetsNoIndexAndOtherFilesAreNotGuides() throws Exception {
        Files.writeString(output.resolve("notes.md"), "---\ntitle: \"not a guide\"\n---\n");
        GuideIndex index = index();
        assertThat(index.writeIfChanged()).isFalse();
        assertThat(output.resolve("index.md")).doesNotExist();
        index.guideWritten(output.resolve("notes.md"));
        assertThat(index.writeIfChanged()).isFalse();
    }

    @Test
    void frontMatterIsReadAsWrittenAndHandEditedValuesAsText() throws Exception {
        Path file = guide("question_650.md", String.join("\n",
                "id: 650",
                "title: 2 Keys Keyboard",
                "slug: '2-keys-keyboard'",
                "difficulty: \"Medium\"",
                "topics: [\"Math\",\"Dynamic Programming\"]",
                "companies: []"));
        Map<String, Object> fields = FrontMatterReader.read(file);
        assertThat(fields.get("id")).isEqualTo(650);
        assertThat(fields.get("title")).isEqualTo("2 Keys Keyboard");
        assertThat(fields.get("slug")).isEqualTo("2-keys-keyboard");
        assertThat(fields.get("topics")).isEqualTo(List.of("Math", "Dynamic Programming"));
        assertThat(fields).doesNotContainKey("text");

        assertThat(FrontMatterReader.read(Files.writeString(output.resolve("plain.md"), "# no front matter\n"))).isEmpty();
    }

    /** Whether the parts appear in this order. */
    private static boolean order(String text, String... parts) {
        int at = -1;
        for (String part : parts) {
            int next = text.indexOf(part, at + 1);
            if (next < 0) {
                throw new AssertionError("Missing (after position " + at + "): " + part + "\nin:\n" + text);
            }
            at = next;
        }
        return true;
    }
}
