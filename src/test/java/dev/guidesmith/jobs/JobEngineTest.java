package dev.guidesmith.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guidesmith.support.StopSignal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job settles from its items' states alone: no Camel exchange, no queue. Items are admitted as
 * room allows, settled in any order, and the job finishes with its last item; a restarted engine
 * skips what was settled, and a second settle of an item changes nothing.
 */
class JobEngineTest {

    @TempDir
    Path work;

    /** A job kind whose file holds one word per line; a line "bad" is not a usable item. */
    static class WordsKind implements JobKind {
        final List<ItemFailure> recorded = new ArrayList<>();

        @Override
        public String name() {
            return "words";
        }

        @Override
        public String takesWhat() {
            return "a .words file";
        }

        @Override
        public boolean takes(Path file, String name) {
            return name.endsWith(".words");
        }

        @Override
        public String copyName(String name) {
            return "input.words";
        }

        @Override
        public long count(Path copy, String name) {
            try {
                return Files.readAllLines(copy).size();
            } catch (IOException e) {
                throw new RejectedFileException(e.getMessage(), e);
            }
        }

        @Override
        public Entries entries(Job job, BooleanSupplier stopped) throws IOException {
            Iterator<String> lines = Files.readAllLines(job.file()).iterator();
            return new Entries() {
                long position;

                @Override
                public boolean hasNext() {
                    return lines.hasNext() && !stopped.getAsBoolean();
                }

                @Override
                public JobEntry next() {
                    return new JobEntry(job.id(), ++position, lines.next());
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public ItemRef plan(Job job, JobEntry entry) {
            if ("bad".equals(entry.content())) {
                throw new IllegalArgumentException("line " + entry.position() + " is bad");
            }
            return new Word(job.id(), entry.position(), (String) entry.content(), "queued");
        }

        @Override
        public ItemFailure recordFailure(ItemRef item, Throwable error, ItemFailure failure) {
            ItemFailure named = failure.recordedAs(item.toString(), "record-" + item.position());
            recorded.add(named);
            return named;
        }
    }

    record Word(String job, long position, String word, String stage) implements ItemRef {
    }

    /** What the events said. */
    static final class Heard implements JobListener {
        final List<String> events = new ArrayList<>();

        @Override
        public synchronized void jobStarted(Job job, JobCounts settledBefore) {
            events.add("started " + job.name() + " with " + settledBefore.settled() + " settled");
        }

        @Override
        public synchronized void itemSettled(Job job, ItemOutcome outcome, ItemFailure failure) {
            events.add(outcome + (failure == null ? "" : " " + failure.record()));
        }

        @Override
        public synchronized void jobFinished(Job job, JobCounts counts) {
            events.add("finished " + counts);
        }
    }

    private Job accept(JobStore store, String name, String... lines) throws IOException {
        Path file = Files.writeString(work.resolve(name), String.join("\n", lines) + "\n");
        return store.accept(file.toString(), name);
    }

    private static List<ItemRef> planAll(JobEngine engine, Job job, List<ItemFailure> failures) throws Exception {
        List<ItemRef> planned = new ArrayList<>();
        try (ItemStream entries = engine.entries(job)) {
            while (entries.hasNext()) {
                ItemRef next = entries.next();
                try {
                    planned.add(engine.admit(engine.plan(next)));
                } catch (IllegalArgumentException e) {
                    JobEntry entry = (JobEntry) next; // not planned: it failed
                    ItemFailure failure = new ItemFailure(job.id(), entry.position(), null, null, entry.stage(),
                            "IllegalArgumentException", e.getMessage(), 1, List.of(), "now");
                    engine.failed(entry, e, failure);
                    failures.add(failure);
                }
            }
        }
        return planned;
    }

    @Test
    void aJobFinishesWhenItsLastItemSettlesAndAResumedJobSkipsWhatWasSettled() throws Exception {
        WordsKind kind = new WordsKind();
        JobKinds kinds = new JobKinds(List.of(kind));
        JobStore store = new JobFolders(work.resolve("jobs"), kinds);
        Heard heard = new Heard();
        JobEvents events = new JobEvents();
        events.subscribe(heard);
        StopSignal stop = new StopSignal();
        AdmissionWindow window = new AdmissionWindow(10, stop);
        JobEngine engine = new JobEngine(store, kinds, new LocalItemStore(), window, events, stop);

        Job job = engine.begin(accept(store, "a.words", "one", "bad", "two", "three"));
        List<ItemRef> items = planAll(engine, job, new ArrayList<>());
        assertThat(items).extracting(ItemRef::position).containsExactly(1L, 3L, 4L);
        assertThat(window.inFlight()).as("the bad line never entered").isEqualTo(3);
        assertThat(kind.recorded).extracting(ItemFailure::record).containsExactly("record-2");

        engine.advance(items.get(2), "counting");
        assertThat(engine.inFlightByStage()).containsEntry("counting", 1).containsEntry("queued", 2);

        engine.done(items.get(2));
        engine.alreadyDone(items.get(0));
        assertThat(engine.activeJobs()).isEqualTo(1);
        assertThat(window.inFlight()).isEqualTo(1);

        // a crash now: a new engine over the same folders resumes the job with the one item left
        JobEngine restarted = new JobEngine(store, kinds, new LocalItemStore(), new AdmissionWindow(10, stop), events, stop);
        List<Job> unfinished = store.unfinished();
        assertThat(unfinished).extracting(Job::id).containsExactly(job.id());
        Job resumed = restarted.begin(unfinished.get(0));
        List<ItemRef> left = planAll(restarted, resumed, new ArrayList<>());
        assertThat(left).extracting(ItemRef::position).containsExactly(3L);

        restarted.done(left.get(0));
        restarted.done(left.get(0)); // twice: nothing more happens
        assertThat(restarted.activeJobs()).isZero();
        assertThat(store.unfinished()).isEmpty();
        assertThat(Files.exists(work.resolve("jobs/finished").resolve(job.id()).resolve(ItemLedger.FILE))).isTrue();
        assertThat(heard.events).containsExactly(
                "started a.words with 0 settled",
                "FAILED record-2",
                "DONE",
                "ALREADY_DONE",
                "started a.words with 3 settled",
                "DONE",
                "finished JobCounts[done=2, alreadyDone=1, failed=1]");
    }

    /** Words whose expected work is their length. */
    static final class LongWordsKind extends WordsKind {
        @Override
        public double expectedWork(Job job, ItemRef item) {
            return ((Word) item).word().length();
        }
    }

    @Test
    void longestFirstAdmitsTheLargestEstimatesFirstAndAResumedJobOrdersWhatIsLeft() throws Exception {
        JobKinds kinds = new JobKinds(List.of(new LongWordsKind()));
        JobStore store = new JobFolders(work.resolve("jobs"), kinds);
        StopSignal stop = new StopSignal();
        AdmissionOrder longestFirst = new AdmissionOrder(true, 100);
        JobEngine engine = new JobEngine(store, kinds, new LocalItemStore(), new AdmissionWindow(10, stop), new JobEvents(),
                stop, longestFirst);
        Job job = engine.begin(accept(store, "d.words", "ox", "giraffe", "cat", "elephant", "dog", "bad", "zebra"));

        List<ItemRef> items = planAll(engine, job, new ArrayList<>());
        // equal estimates (cat, dog) keep their file order; the bad line is planned (and fails) in its turn
        assertThat(items).extracting(item -> ((Word) item).word())
                .containsExactly("elephant", "giraffe", "zebra", "cat", "dog", "ox");

        engine.done(items.get(0));
        engine.done(items.get(3));
        JobEngine restarted = new JobEngine(store, kinds, new LocalItemStore(), new AdmissionWindow(10, stop), new JobEvents(),
                stop, longestFirst);
        List<ItemRef> left = planAll(restarted, restarted.begin(store.unfinished().get(0)), new ArrayList<>());
        assertThat(left).as("settled items are skipped, the rest still largest first")
                .extracting(item -> ((Word) item).word()).containsExactly("giraffe", "zebra", "dog", "ox");
    }

    @Test
    void fileOrderStaysWhenLongestFirstIsOff() throws Exception {
        JobKinds kinds = new JobKinds(List.of(new LongWordsKind()));
        JobStore store = new JobFolders(work.resolve("jobs"), kinds);
        StopSignal stop = new StopSignal();
        JobEngine engine = new JobEngine(store, kinds, new LocalItemStore(), new AdmissionWindow(10, stop), new JobEvents(),
                stop, new AdmissionOrder(false, 100));
        Job job = engine.begin(accept(store, "e.words", "ox", "giraffe", "cat"));
        assertThat(planAll(engine, job, new ArrayList<>())).extracting(item -> ((Word) item).word())
                .containsExactly("ox", "giraffe", "cat");
    }

    @Test
    void onABrokerAResumedJobDoesNotSendAgainWhatTheBrokerStillHoldsAndWaitsForItsItemsComingBack() throws Exception {
        WordsKind kind = new WordsKind();
        JobKinds kinds = new JobKinds(List.of(kind));
        JobStore store = new JobFolders(work.resolve("jobs"), kinds);
        StopSignal stop = new StopSignal();
        JobEngine engine = new JobEngine(store, kinds, new LocalItemStore(), new AdmissionWindow(10, stop), new JobEvents(),
                stop, QueuedItems.onBroker());
        Job job = engine.begin(accept(store, "d.words", "one", "two", "three", "four"));
        List<ItemRef> sent = new ArrayList<>();
        try (ItemStream entries = engine.entries(job)) {
            // two items reach the broker, then the node dies while planning the third
            for (int i = 0; i < 2; i++) {
                sent.add(engine.sent(engine.admit(engine.plan(entries.next()))));
            }
        }
        engine.done(sent.get(0));
        // an item settled before it reached the queue (already done) may finish its job first: no error then
        ItemRef gone = new Word("no-such-job", 1, "one", "queued");
        assertThat(engine.sent(gone)).isSameAs(gone);

        JobEngine restarted = new JobEngine(store, kinds, new LocalItemStore(), new AdmissionWindow(10, stop),
                new JobEvents(), stop, QueuedItems.onBroker());
        Job resumed = store.unfinished().get(0);
        // the broker hands item 2 back before the job is resumed here: it must come again later
        assertThatThrownBy(() -> restarted.arrive(sent.get(1), "counting")).isInstanceOf(JobNotResumedException.class)
                .hasMessageContaining("pipeline.broker.redelivery-delay-ms");
        restarted.begin(resumed);
        assertThat(planAll(restarted, resumed, new ArrayList<>())).as("item 2 is on the broker, not sent again")
                .extracting(ItemRef::position).containsExactly(3L, 4L);
        restarted.arrive(sent.get(1), "counting");
        restarted.done(sent.get(1));
        assertThat(restarted.activeJobs()).isEqualTo(1);
    }

    @Test
    void inMemoryQueuesSendEveryUnsettledItemAgain() throws Exception {
        JobKinds kinds = new JobKinds(List.of(new WordsKind()));
        JobStore store = new JobFolders(work.resolve("jobs"), kinds);
        StopSignal stop = new StopSignal();
        JobEngine engine = new JobEngine(store, kinds, new LocalItemStore(), new AdmissionWindow(10, stop), new JobEvents(), stop);
        Job job = engine.begin(accept(store, "e.words", "one", "two"));
        try (ItemStream entries = engine.entries(job)) {
            engine.sent(engine.admit(engine.plan(entries.next())));
        }
        JobEngine restarted = new JobEngine(store, kinds, new LocalItemStore(), new AdmissionWindow(10, stop), new JobEvents(), stop);
        Job resumed = restarted.begin(store.unfinished().get(0));
        assertThat(planAll(restarted, resumed, new ArrayList<>())).extracting(ItemRef::position).containsExactly(1L, 2L);
    }

    @Test
    void aJobWhoseItemsWereAllSettledBeforeACrashFinishesWhenItResumes() throws Exception {
        JobKinds kinds = new JobKinds(List.of(new WordsKind()));
        JobStore store = new JobFolders(work.resolve("jobs"), kinds);
        StopSignal stop = new StopSignal();
        JobEngine engine = new JobEngine(store, kinds, new LocalItemStore(), new AdmissionWindow(10, stop), new JobEvents(), stop);
        Job job = engine.begin(accept(store, "b.words", "one"));
        // settled in the ledger, then the process died before the job could be moved away
        Files.writeString(job.folder().resolve(ItemLedger.FILE), "1 DONE\n");

        JobEngine restarted = new JobEngine(store, kinds, new LocalItemStore(), new AdmissionWindow(10, stop), new JobEvents(), stop);
        restarted.begin(store.unfinished().get(0));
        assertThat(store.unfinished()).isEmpty();
        assertThat(restarted.activeJobs()).isZero();
    }

    @Test
    void aTornLastLineOfTheLedgerIsIgnored() throws Exception {
        JobKinds kinds = new JobKinds(List.of(new WordsKind()));
        JobStore store = new JobFolders(work.resolve("jobs"), kinds);
        Job job = accept(store, "c.words", "one", "two");
        Files.writeString(job.folder().resolve(ItemLedger.FILE), "1 DONE\n2 DO");
        try (ItemLedger ledger = ItemLedger.open(job.folder())) {
            assertThat(ledger.isSettled(1)).isTrue();
            assertThat(ledger.isSettled(2)).as("torn: it runs again").isFalse();
            assertThat(ledger.settle(2, ItemOutcome.FAILED)).isEqualTo(new JobCounts(1, 0, 1));
        }
        try (ItemLedger again = ItemLedger.open(job.folder())) {
            assertThat(again.counts()).isEqualTo(new JobCounts(1, 0, 1));
        }
    }

    @Test
    void aFileNoKindTakesIsRejectedNamingWhatIsTaken() throws Exception {
        JobStore store = new JobFolders(work.resolve("jobs"), new JobKinds(List.of(new WordsKind())));
        assertThatThrownBy(() -> accept(store, "notes.txt", "hello"))
                .isInstanceOf(RejectedFileException.class).hasMessageContaining("notes.txt").hasMessageContaining("a .words file");
    }
}
