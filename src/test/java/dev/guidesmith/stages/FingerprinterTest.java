package dev.guidesmith.stages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.problems.Problem;
import dev.guidesmith.support.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fingerprints over the project's real prompts and settings, copied so the test can edit them. */
class FingerprinterTest {

    @TempDir
    Path dir;

    private final Map<String, String> settings = new HashMap<>();

    @BeforeEach
    void copyTheRealPipeline() throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(Path.of("application.properties"))) {
            properties.load(in);
        }
        properties.forEach((k, v) -> settings.put(k.toString(), v.toString()));
        for (Path file : List.of(Path.of("routes/prompts"), Path.of("routes/templates"))) {
            try (var files = Files.list(file)) {
                for (Path source : files.toList()) {
                    Path target = dir.resolve(file.getFileName()).resolve(source.getFileName());
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target);
                }
            }
        }
        settings.put("pipeline.prompts", dir.resolve("prompts").toString());
        settings.put("pipeline.guide-template", dir.resolve("templates/guide.md.mustache").toString());
    }

    private Fingerprinter fingerprinter() {
        Settings lookup = new Settings(key -> Optional.ofNullable(settings.get(key)));
        return new Fingerprinter(StageCatalog.load(lookup, Set.of("local"), endpoints -> Set.of("model-a")));
    }

    private static Problem problem(String description) {
        return new Problem("42", true, "Trapping Rain Water", "trapping-rain-water", "Hard", List.of("Array"), List.of(),
                description);
    }

    @Test
    void aDescriptionInTheInputMakesTheDescribeStageUnnecessary() {
        WorkItem withDescription = fingerprinter().plan("job", 1, problem("Given n bars..."));
        WorkItem without = fingerprinter().plan("job", 1, problem(null));
        assertThat(withDescription.fingerprint("describe")).isNull();
        assertThat(without.fingerprint("describe")).isNotNull();
        assertThat(withDescription.fingerprint("topics")).isNotEqualTo(without.fingerprint("topics"));
    }

    @Test
    void thePaidOnlyMarkChangesTheGuideButNoStage() {
        Problem free = problem(null);
        Problem paid = new Problem(free.id(), true, free.title(), free.slug(), free.difficulty(), free.topics(), free.companies(),
                null, true);
        WorkItem unmarked = fingerprinter().plan("job", 1, free);
        WorkItem marked = fingerprinter().plan("job", 1, paid);
        for (String stage : List.of("describe", "topics", "approaches", "solutions")) {
            assertThat(marked.fingerprint(stage)).as(stage).isEqualTo(unmarked.fingerprint(stage));
        }
        assertThat(marked.doneKey()).as("its front matter says paid_only").isNotEqualTo(unmarked.doneKey());
    }

    @Test
    void changingOneTemplateChangesThatStageAndTheLaterOnesOnly() throws IOException {
        WorkItem before = fingerprinter().plan("job", 1, problem(null));
        Path topics = dir.resolve("prompts/topics.mustache");
        Files.writeString(topics, Files.readString(topics) + "\nBe concise.\n");
        WorkItem after = fingerprinter().plan("job", 1, problem(null));
        assertThat(after.fingerprint("describe")).isEqualTo(before.fingerprint("describe"));
        assertThat(after.fingerprint("topics")).isNotEqualTo(before.fingerprint("topics"));
        assertThat(after.fingerprint("approaches")).isNotEqualTo(before.fingerprint("approaches"));
        assertThat(after.fingerprint("solutions")).isNotEqualTo(before.fingerprint("solutions"));
        assertThat(after.doneKey()).isNotEqualTo(before.doneKey());
    }

    @Test
    void changingTheGuideTemplateChangesOnlyTheDoneKey() throws IOException {
        WorkItem before = fingerprinter().plan("job", 1, problem(null));
        Path guide = dir.resolve("templates/guide.md.mustache");
        Files.writeString(guide, Files.readString(guide) + "\n---\nMade with care.\n");
        WorkItem after = fingerprinter().plan("job", 1, problem(null));
        for (String stage : List.of("describe", "topics", "approaches", "solutions")) {
            assertThat(after.fingerprint(stage)).isEqualTo(before.fingerprint(stage));
        }
        assertThat(after.doneKey()).isNotEqualTo(before.doneKey());
    }

    @Test
    void sameInputsSameFingerprintsAcrossRunsAndJobs() {
        WorkItem one = fingerprinter().plan("job-1", 1, problem(null));
        WorkItem two = fingerprinter().plan("job-2", 1, problem(null));
        assertThat(two.fingerprint("solutions")).isEqualTo(one.fingerprint("solutions"));
        assertThat(two.doneKey()).isEqualTo(one.doneKey()).startsWith("42@");
    }

    @Test
    void aDifferentModelChangesTheFingerprints() {
        WorkItem before = fingerprinter().plan("job", 1, problem(null));
        Settings lookup = new Settings(key -> Optional.ofNullable(settings.get(key)));
        Fingerprinter other = new Fingerprinter(StageCatalog.load(lookup, Set.of("local"), endpoints -> Set.of("model-b")));
        assertThat(other.plan("job", 1, problem(null)).fingerprint("describe")).isNotEqualTo(before.fingerprint("describe"));
    }
}
