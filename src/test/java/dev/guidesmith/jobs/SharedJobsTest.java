package dev.guidesmith.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.jobs.JobEngineTest.WordsKind;
import dev.guidesmith.store.PostgresItemStore;
import dev.guidesmith.store.PostgresJobStore;
import dev.guidesmith.store.SharedStore;
import dev.guidesmith.store.StoreSettings;
import dev.guidesmith.support.StopSignal;
import dev.guidesmith.testing.PostgresDatabase;
import dev.guidesmith.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs and items in a real PostgreSQL: a job one node accepted and half settled is resumed by
 * another node, with a work folder of its own, skipping what the first node settled.
 */
class SharedJobsTest {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @TempDir
    Path dir;

    private record Node(JobStore store, JobEngine engine) {
    }

    private static Node node(SharedStore shared, JobKinds kinds, Path work, String id) {
        JobStore store = new PostgresJobStore(shared, new JobFolders(work.resolve("jobs"), kinds), id);
        StopSignal stop = new StopSignal();
        return new Node(store, new JobEngine(store, kinds, new PostgresItemStore(shared, id), new AdmissionWindow(10, stop),
                new JobEvents(), stop));
    }

    private static List<ItemRef> planAll(JobEngine engine, Job job) throws Exception {
        List<ItemRef> planned = new ArrayList<>();
        try (ItemStream entries = engine.entries(job)) {
            while (entries.hasNext()) {
                planned.add(engine.admit(engine.plan(entries.next())));
            }
        }
        return planned;
    }

    @Test
    void anotherNodeResumesAJobWhoseNodeDiedSkippingWhatItSettled() throws Exception {
        StoreSettings settings = new StoreSettings(POSTGRES.server().newDatabase(), PostgresServer.USER, "", 4, Duration.ofSeconds(5),
                Duration.ofSeconds(1));
        JobKinds kinds = new JobKinds(List.of(new WordsKind()));
        try (SharedStore sharedA = SharedStore.open(settings, "a"); SharedStore sharedB = SharedStore.open(settings, "b")) {
            Node a = node(sharedA, kinds, dir.resolve("work-a"), "a");
            Path file = Files.writeString(dir.resolve("in.words"), "one\ntwo\nthree\nfour\n");
            Job job = a.engine().begin(a.engine().accept(file.toString(), "in.words"));
            List<ItemRef> items = planAll(a.engine(), job);
            a.engine().done(items.get(0));
            a.engine().alreadyDone(items.get(2));
            // node a dies here, its work folder with it

            Node b = node(sharedB, kinds, dir.resolve("work-b"), "b");
            List<Job> unfinished = b.engine().unfinished();
            assertThat(unfinished).extracting(Job::id).containsExactly(job.id());
            Job resumed = unfinished.get(0);
            assertThat(resumed.file()).startsWith(dir.resolve("work-b/jobs")).hasContent("one\ntwo\nthree\nfour");
            assertThat(b.engine().unfinished()).as("under way here now: not resumed twice").isEmpty();

            b.engine().begin(resumed);
            List<ItemRef> left = planAll(b.engine(), resumed);
            assertThat(left).extracting(ItemRef::position).containsExactly(2L, 4L);
            assertThat(b.engine().status(job.id()).orElseThrow().settled()).isEqualTo(2);
            left.forEach(b.engine()::done);
            assertThat(b.engine().activeJobs()).isZero();
            assertThat(node(sharedA, kinds, dir.resolve("work-c"), "c").store().unfinished())
                    .as("finished for every node").isEmpty();

            Node restartedA = node(sharedA, kinds, dir.resolve("work-a"), "a");
            assertThat(restartedA.store().unfinished()).as("node a, back, has nothing left of it to do").isEmpty();
            assertThat(dir.resolve("work-a/jobs/finished").resolve(job.id())).as("its folder put away").isDirectory();
            assertThat(dir.resolve("work-a/jobs").resolve(job.id())).doesNotExist();
        }
    }
}
