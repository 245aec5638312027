package dev.guidesmith.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The files of the Files API: uploads (batch inputs) and the batches' result files, as file
 * objects with ids that survive restarts. On one node they are local files
 * ({@link LocalFileStore}); with {@code pipeline.store.url} they are in the shared PostgreSQL, so
 * every node lists and serves every file.
 *
 * <p>Ids come from clients and are never trusted before they match {@code file-} and 24 lower-case
 * hex digits; an id that does not is simply not a file here. Listing order is by
 * {@code created_at}, files of the same second by id: a total order, so a cursor ({@code after})
 * pages through without repeats or gaps.
 */
public interface FileStore {

    Pattern ID = Pattern.compile("file-[0-9a-f]{24}");

    /** The local store in {@code folder}, with the files earlier runs left there. */
    static FileStore open(Path folder) throws IOException {
        return LocalFileStore.open(folder, Clock.systemUTC());
    }

    static FileStore open(Path folder, Clock clock) throws IOException {
        return LocalFileStore.open(folder, clock);
    }

    /** Whether {@code id} has the shape of the stores' ids (not whether such a file exists). */
    static boolean isFileId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * Takes an uploaded file (the server streamed it to disk), never reading it into memory; the
     * upload is moved or copied away, and may be gone afterwards.
     */
    FileObject store(Path upload, String filename, String purpose) throws IOException;

    /** Makes a complete existing file (a batch's input or results) a file object. */
    FileObject register(Path content, String filename, String purpose) throws IOException;

    /**
     * A registered file moved (a finished job's folder, and the input in it): its file object now
     * reads it from there, and its size is taken again.
     */
    FileObject relink(String id, Path content) throws IOException;

    /**
     * A file's content on this node's disk, for as long as the returned handle is open: the stored
     * file itself, or (from a shared store) a copy made for the caller and removed when it closes.
     *
     * @return empty when there is no such file
     */
    Optional<LocalContent> localContent(String id) throws IOException;

    Optional<FileObject> get(String id);

    /**
     * A page of files in {@code query}'s order, starting after the file {@code query.after()} (when
     * given), with whether more files follow the page.
     *
     * @throws NoSuchElementException when {@code after} names no file (deleted meanwhile, or never one)
     */
    Page list(Query query);

    /**
     * Opens a file's content for reading, streamed; the caller closes it.
     *
     * @return empty when there is no such file
     * @throws java.nio.file.NoSuchFileException when the file object exists but its content is gone
     *                                           (a registered file removed by hand)
     */
    Optional<InputStream> openContent(String id) throws IOException;

    /**
     * Deletes a file object and its stored content (a local store leaves a registered file's content where it is).
     *
     * @return whether there was such a file
     */
    boolean delete(String id) throws IOException;

    /** A listing request: {@code after} a file id or null, at most {@code limit} files, {@code purpose} or null for all. */
    record Query(String after, int limit, boolean ascending, String purpose) {
        public Query {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1, not " + limit);
            }
        }
    }

    /** A file's content as a path on this node's disk; closing it removes a copy made for it. */
    interface LocalContent extends AutoCloseable {
        Path path();

        @Override
        void close() throws IOException;
    }

    /** One page of a listing, and whether more files follow it. */
    record Page(List<FileObject> data, boolean hasMore) {
    }
}
