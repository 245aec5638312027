package dev.guidesmith.guide;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobEntry;
import dev.guidesmith.problems.EntrySelection;
import dev.guidesmith.problems.ProblemEntry;
import dev.guidesmith.problems.ProblemValidator;
import dev.guidesmith.stages.Fingerprinter;
import dev.guidesmith.stages.StageCache;
import dev.guidesmith.stages.StageCatalog;
import dev.guidesmith.stages.StageDefinition;
import dev.guidesmith.stages.StageResult;
import dev.guidesmith.stages.WorkItem;
import dev.guidesmith.support.Json;
import dev.guidesmith.support.Settings;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guide job's estimate over the project's real stages and a real stage cache: a stage the cache
 * holds costs nothing, and the reply it got says how long the rest will be.
 */
class GuideJobKindWorkTest {

    @TempDir
    Path dir;

    private StageCatalog catalog;
    private StageCache cache;
    private GuideJobKind kind;
    private Fingerprinter fingerprinter;
    private final Job job = new Job("job", GuideJobKind.NAME, "problems.jsonl", Path.of("problems.jsonl"), 2, "now");

    @BeforeEach
    void realStages() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("application.properties"))) {
            properties.load(in);
        }
        Map<String, String> settings = new HashMap<>();
        properties.forEach((key, value) -> settings.put(key.toString(), value.toString()));
        catalog = StageCatalog.load(new Settings(key -> Optional.ofNullable(settings.get(key))), Set.of("local"),
                endpoints -> Set.of("model-a"));
        cache = new StageCache(dir.resolve("cache"), 10);
        fingerprinter = new Fingerprinter(catalog);
        kind = new GuideJobKind(new ProblemValidator(), fingerprinter, null, null, EntrySelection.ALL, catalog, cache);
    }

    private static JobEntry entry(long position, String difficulty, int statementChars) throws Exception {
        String json = "{\"id\": " + position + ", \"title\": \"Problem " + position + "\", \"difficulty\": \"" + difficulty
                + "\", \"description\": " + Json.compact("s".repeat(statementChars)) + "}";
        return new JobEntry("job", position, new ProblemEntry("problems.jsonl", position, Json.MAPPER.readTree(json), null));
    }

    private double work(JobEntry entry) {
        return kind.expectedWork(job, kind.plan(job, entry));
    }

    private void cached(JobEntry entry, String stage, int outputTokens) {
        WorkItem item = kind.plan(job, entry);
        cache.store(new StageResult(stage, item.problem().id(), item.fingerprint(stage), TextNode.valueOf("{}"), "model",
                "local", "model-a", true, 100, outputTokens, 1000, "now"));
    }

    @Test
    void aHardLongProblemOutweighsAnEasyShortOne() throws Exception {
        assertThat(work(entry(1, "Hard", 6000))).isGreaterThan(work(entry(2, "Easy", 800)));
    }

    @Test
    void cachedStagesCostNothingAndTheirRepliesWeigh() throws Exception {
        JobEntry fresh = entry(1, "Medium", 1500);
        double before = work(fresh);
        String first = catalog.stages().stream().filter(stage -> kind.plan(job, fresh).fingerprint(stage.name()) != null)
                .findFirst().map(StageDefinition::name).orElseThrow();

        JobEntry shortReplies = entry(2, "Medium", 1500);
        cached(shortReplies, first, 50);
        JobEntry longReplies = entry(3, "Medium", 1500);
        cached(longReplies, first, 650);
        double afterShort = work(shortReplies);
        double afterLong = work(longReplies);
        assertThat(afterShort).isLessThan(before);
        assertThat(afterLong).isGreaterThan(afterShort);

        JobEntry allCached = entry(4, "Medium", 1500);
        for (StageDefinition stage : catalog.stages()) {
            if (kind.plan(job, allCached).fingerprint(stage.name()) != null) {
                cached(allCached, stage.name(), 300);
            }
        }
        assertThat(work(allCached)).isZero();
    }

}
