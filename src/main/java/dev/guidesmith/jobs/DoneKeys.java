package dev.guidesmith.jobs;

/**
 * Where the done keys of finished problems are kept, durably: a local file for one node
 * ({@link DoneLogFile}), a database table for several ({@code dev.guidesmith.store}). The claims
 * of problems under way are not here: they live in the {@link DoneRegistry} of the node that works
 * on them.
 */
public interface DoneKeys extends AutoCloseable {

    /** Opens the store (loading what it needs); called once before the first key. */
    void open();

    boolean contains(String key);

    /** Records a key; a key recorded already is left as it is. */
    void add(String key);

    /** How many keys are recorded. */
    long count();

    /** Forgets every key (tests, and a user's explicit reset). */
    void clear();

    @Override
    void close();
}
