package dev.guidesmith.jobs;

import java.io.IOException;
import java.util.Comparator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.function.ToDoubleFunction;

/**
 * A job's entries, the ones expected to take longest first, so a run does not end on one slow
 * item while the rest of the fleet idles. Equal estimates keep file order.
 *
 * <p>Sorted within a bounded look-ahead: the next {@code lookAhead} entries are held and the
 * largest leaves first, one more read as each leaves. Not an index of (estimate, offset) over the
 * whole file: the readers are streaming JSON parsers (a LeetCode list nests its array inside
 * objects) that cannot seek to an entry, and an index would mean reading a 170,000-line batch
 * twice. The look-ahead keeps memory at {@code lookAhead} entries, sorts a 3,600-problem list
 * whole at the default, and in a bigger job still sorts its last {@code lookAhead} entries,
 * which are the ones that make the tail.
 */
final class LongestFirst implements JobKind.Entries {

    private static final Comparator<Held> LARGEST_FIRST = Comparator.comparingDouble((Held held) -> -held.work)
            .thenComparingLong(held -> held.arrival);

    private final JobKind.Entries source;
    private final ToDoubleFunction<JobEntry> estimate;
    private final int lookAhead;
    private final PriorityQueue<Held> held = new PriorityQueue<>(LARGEST_FIRST);
    private long arrivals;

    private record Held(JobEntry entry, double work, long arrival) {
    }

    LongestFirst(JobKind.Entries source, ToDoubleFunction<JobEntry> estimate, int lookAhead) {
        this.source = source;
        this.estimate = estimate;
        this.lookAhead = lookAhead;
    }

    @Override
    public boolean hasNext() {
        while (held.size() < lookAhead && source.hasNext()) {
            JobEntry entry = source.next();
            held.add(new Held(entry, estimate.applyAsDouble(entry), arrivals++));
        }
        return !held.isEmpty();
    }

    @Override
    public JobEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return held.poll().entry;
    }

    @Override
    public void close() throws IOException {
        held.clear();
        source.close();
    }
}
