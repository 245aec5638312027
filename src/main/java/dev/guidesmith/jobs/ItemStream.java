package dev.guidesmith.jobs;

import java.io.Closeable;
import java.util.Iterator;

/**
 * A job's items on their way into the pipeline, as the split streams them: entries still to be
 * planned, or items the look-ahead of {@link LongestFirst} planned already. The caller closes it.
 */
public interface ItemStream extends Iterator<ItemRef>, Closeable {
}
