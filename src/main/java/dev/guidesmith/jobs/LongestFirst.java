package dev.guidesmith.jobs;

import java.io.IOException;
import java.util.Comparator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A job's items, the ones expected to take longest first, so a run does not end on one slow item
 * while the rest of the fleet idles. Equal estimates keep file order.
 *
 * <p>Sorted within a bounded look-ahead: the next {@code lookAhead} entries are read, planned
 * (once: the item it yields is the one admitted) and held, and the largest leaves first, one more
 * read as each leaves. An entry that cannot be planned is held as it is, weighing nothing: planning
 * it again in the route fails and records why. Not an index of (estimate, offset) over the whole
 * file: the readers are streaming JSON parsers (a LeetCode list nests its array inside objects)
 * that cannot seek to an entry, and an index would mean reading a 170,000-line batch twice. The
 * look-ahead keeps memory at {@code lookAhead} items, sorts a 3,600-problem list whole at the
 * default, and in a bigger job still sorts its last {@code lookAhead} items, the ones that make
 * the tail.
 */
final class LongestFirst implements ItemStream {

    private static final Comparator<Held> LARGEST_FIRST = Comparator.comparingDouble((Held held) -> -held.work)
            .thenComparingLong(held -> held.arrival);

    private final JobKind.Entries source;
    private final Function<JobEntry, ItemRef> plan;
    private final ToDoubleFunction<ItemRef> estimate;
    private final int lookAhead;
    private final PriorityQueue<Held> held = new PriorityQueue<>(LARGEST_FIRST);
    private long arrivals;

    private record Held(ItemRef item, double work, long arrival) {
    }

    /**
     * @param plan     an entry's item; throws for an entry that is not a usable item
     * @param estimate a planned item's expected work
     */
    LongestFirst(JobKind.Entries source, Function<JobEntry, ItemRef> plan, ToDoubleFunction<ItemRef> estimate, int lookAhead) {
        this.source = source;
        this.plan = plan;
        this.estimate = estimate;
        this.lookAhead = lookAhead;
    }

    @Override
    public boolean hasNext() {
        while (held.size() < lookAhead && source.hasNext()) {
            JobEntry entry = source.next();
            ItemRef item;
            try {
                item = plan.apply(entry);
            } catch (RuntimeException e) {
                held.add(new Held(entry, 0, arrivals++));
                continue;
            }
            held.add(new Held(item, estimate.applyAsDouble(item), arrivals++));
        }
        return !held.isEmpty();
    }

    @Override
    public ItemRef next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return held.poll().item;
    }

    @Override
    public void close() throws IOException {
        held.clear();
        source.close();
    }
}
