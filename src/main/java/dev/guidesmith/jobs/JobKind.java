package dev.guidesmith.jobs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * A kind of job: how its files are recognized, read and turned into items, and where its failures
 * are recorded. Durable jobs, admission, item state, events and status are shared by every kind;
 * the kind's per-item route (the YAML route {@code direct:<name>}) and its result writer do its own
 * work.
 */
public interface JobKind {

    /** The kind's name, as job records carry it and its per-item route is called. */
    String name();

    /** The files it takes, for the message that rejects the others ("a problems list (.json, .jsonl)"). */
    String takesWhat();

    /** Whether this kind takes an inbox file: by its name, and where that is not enough, by its content. */
    boolean takes(Path file, String name) throws IOException;

    /** The name the job's own copy of the file gets (its extension matters to the reader). */
    String copyName(String name);

    /**
     * Makes the job's own copy of its file: by default a second name for the same content where
     * the file system allows (a 1 GB file is not copied), else a copy; a kind may translate the file
     * into the form it runs instead. Nothing writes to an accepted file.
     *
     * @throws RejectedFileException when the file cannot be made into a job
     */
    default void keep(Path incoming, Path copy) throws IOException {
        try {
            Files.createLink(copy, incoming);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(incoming, copy, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Reads the whole file once, streaming: proves it is usable and counts its entries.
     *
     * @throws RejectedFileException when it is not
     */
    long count(Path copy, String name);

    /** Streams the job's entries, ending early once {@code stopped} says so. The caller closes it. */
    Entries entries(Job job, BooleanSupplier stopped) throws IOException;

    /**
     * The item an entry becomes: what travels between the kind's steps (and across a broker, so it
     * must be plain data).
     *
     * @throws RuntimeException for an entry that is not a usable item; it is recorded as its failure
     */
    ItemRef plan(Job job, JobEntry entry);

    /**
     * How much work a planned item is expected to take, in {@link ExpectedWork} units: with
     * {@code pipeline.longest-first} the items expected to take longest enter the pipeline first.
     * Called as entries are read, so it must be quick. By default every item weighs the same: file
     * order.
     */
    default double expectedWork(Job job, ItemRef item) {
        return 0;
    }

    /**
     * Records a failed item or entry where this kind's users look for failures, and undoes what
     * the item held (a claim on its result).
     *
     * @return the failure, named and recorded
     */
    ItemFailure recordFailure(ItemRef item, Throwable error, ItemFailure failure);

    /**
     * Before a job resumes: reports the items whose results this kind wrote before a crash without
     * their settling reaching the ledger, so they are settled now and not done again.
     */
    default void recover(Job job, BiConsumer<Long, ItemOutcome> settled) {
    }

    /** A job's entries in file order. */
    interface Entries extends Iterator<JobEntry>, Closeable {
    }
}
