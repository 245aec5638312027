package dev.guidesmith.jobs;

import java.io.IOException;

/**
 * The order a job's entries enter the pipeline: as the file has them, or longest expected work
 * first ({@code pipeline.longest-first}) within a look-ahead of {@code lookAhead} entries
 * ({@code pipeline.longest-first.look-ahead}; see {@link LongestFirst}).
 */
public record AdmissionOrder(boolean longestFirst, int lookAhead) {

    /** File order. */
    public static final AdmissionOrder FILE = new AdmissionOrder(false, 1);

    public AdmissionOrder {
        if (longestFirst && lookAhead < 1) {
            throw new IllegalArgumentException("pipeline.longest-first.look-ahead must be at least 1, not " + lookAhead);
        }
    }

    /** A job's unsettled entries in this order: in file order unplanned, longest first planned already. */
    ItemStream arrange(Job job, JobKind kind, JobKind.Entries entries) {
        if (longestFirst) {
            return new LongestFirst(entries, entry -> kind.plan(job, entry), item -> kind.expectedWork(job, item), lookAhead);
        }
        return new ItemStream() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public ItemRef next() {
                return entries.next();
            }

            @Override
            public void close() throws IOException {
                entries.close();
            }
        };
    }
}
