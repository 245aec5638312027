package dev.guidesmith.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The look-ahead holds at most its size, and lets the largest of what it holds go first. */
class LongestFirstTest {

    /** Entries whose expected work is given, counting how many were read from the "file". */
    static final class Source implements JobKind.Entries {
        final Iterator<Long> works;
        long read;
        boolean closed;

        Source(List<Long> works) {
            this.works = works.iterator();
        }

        @Override
        public boolean hasNext() {
            return works.hasNext();
        }

        @Override
        public JobEntry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return new JobEntry("job", ++read, works.next());
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static double work(ItemRef item) {
        return (Long) ((JobEntry) item).content();
    }

    private static ItemRef asIs(JobEntry entry) {
        return entry;
    }

    @Test
    void aFileWithinTheLookAheadComesOutSortedWhole() throws Exception {
        Source source = new Source(List.of(3L, 9L, 1L, 9L, 5L));
        List<Long> positions = new ArrayList<>();
        try (LongestFirst entries = new LongestFirst(source, LongestFirstTest::asIs, LongestFirstTest::work, 10)) {
            entries.forEachRemaining(item -> positions.add(item.position()));
        }
        assertThat(positions).as("9 (line 2), 9 (line 4), 5, 3, 1").containsExactly(2L, 4L, 5L, 1L, 3L);
        assertThat(source.closed).isTrue();
    }

    @Test
    void eachEntryIsPlannedOnceAndOneThatCannotBeIsHeldAsItIsWeighingNothing() {
        Source source = new Source(List.of(3L, 0L, 9L));
        List<Long> planned = new ArrayList<>();
        LongestFirst entries = new LongestFirst(source, entry -> {
            planned.add(entry.position());
            if ((Long) entry.content() == 0L) {
                throw new IllegalArgumentException("not a usable item");
            }
            return new Planned(entry.position(), (Long) entry.content());
        }, item -> ((Planned) item).work(), 10);
        List<ItemRef> out = new ArrayList<>();
        entries.forEachRemaining(out::add);
        assertThat(planned).containsExactly(1L, 2L, 3L);
        assertThat(out).extracting(ItemRef::position).containsExactly(3L, 1L, 2L);
        assertThat(out.get(0)).isInstanceOf(Planned.class);
        assertThat(out.get(2)).as("left for the route to plan, fail and record").isInstanceOf(JobEntry.class);
    }

    record Planned(long position, long work) implements ItemRef {
        @Override
        public String job() {
            return "job";
        }

        @Override
        public String stage() {
            return "planned";
        }
    }

    @Test
    void aBigFileIsReadNoFurtherAheadThanTheLookAheadAndItsLastWindowLeavesSorted() {
        // 10,000 entries whose work rises and falls: 0..99 repeated
        List<Long> works = LongStream.range(0, 10_000).map(i -> (i * 37) % 100).boxed().toList();
        Source source = new Source(works);
        LongestFirst entries = new LongestFirst(source, LongestFirstTest::asIs, LongestFirstTest::work, 50);
        List<Long> out = new ArrayList<>();
        while (entries.hasNext()) {
            assertThat(source.read - out.size()).as("entries held").isLessThanOrEqualTo(50);
            out.add((Long) ((JobEntry) entries.next()).content());
        }
        assertThat(out).hasSize(10_000);
        List<Long> tail = out.subList(out.size() - 50, out.size());
        assertThat(tail).as("the last window, largest first").isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(out.get(0)).as("the largest of the first window leaves first")
                .isEqualTo(works.subList(0, 50).stream().max(Long::compare).orElseThrow());
        assertThat(out).as("every entry leaves once").containsExactlyInAnyOrderElementsOf(works);
    }
}
