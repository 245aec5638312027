package dev.guidesmith.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.guidesmith.support.AtomicFiles;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of the Files API on one node, in one folder that survives restarts: per file its metadata,
 * {@code <id>.json} (a {@link FileObject}, written atomically; its presence is what makes the file
 * exist), and beside it either its content, {@code <id>.content} (an upload, moved in), or
 * {@code <id>.link}, the path of content that lives elsewhere and stays there (a file registered
 * without copying, such as a batch's results).
 *
 * <p>Ids come from clients and are never used as paths before they match {@code file-} and 24
 * lower-case hex digits; an id that does not is simply not a file here. Listing order is by
 * {@code created_at}, files of the same second by id: a total order, so a cursor ({@code after}) pages
 * through without repeats or gaps.
 */
public final class LocalFileStore implements FileStore {

    private static final Logger LOG = LoggerFactory.getLogger(LocalFileStore.class);
    private static final String METADATA = ".json";
    private static final String CONTENT = ".content";
    private static final String LINK = ".link";
    private static final Comparator<FileObject> OLDEST_FIRST =
            Comparator.comparingLong(FileObject::createdAt).thenComparing(FileObject::id);
    private static final ObjectMapper MAPPER = Json.MAPPER;

    private final Path folder;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, FileObject> byId = new ConcurrentHashMap<>();
    private final NavigableSet<FileObject> byAge = new ConcurrentSkipListSet<>(OLDEST_FIRST);

    private LocalFileStore(Path folder, Clock clock) {
        this.folder = folder;
        this.clock = clock;
    }

    /** The store in {@code folder}, with the files earlier runs left there. */
    public static LocalFileStore open(Path folder, Clock clock) throws IOException {
        LocalFileStore store = new LocalFileStore(folder, clock);
        Files.createDirectories(folder);
        store.load();
        return store;
    }

    /**
     * Takes an uploaded file: moves it into the store (a rename when it is on the same file system,
     * as the server's upload folder under {@code pipeline.work} is), never reading it into memory.
     */
    @Override
    public FileObject store(Path upload, String filename, String purpose) throws IOException {
        long bytes = Files.size(upload);
        String id = newId();
        Path content = folder.resolve(id + CONTENT);
        AtomicFiles.move(upload, content);
        try {
            // the server wrote the upload without syncing: a file we say we have must survive a power cut
            try (FileChannel channel = FileChannel.open(content, StandardOpenOption.READ)) {
                channel.force(true);
            }
            return commit(FileObject.processed(id, bytes, now(), filename, purpose));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(content);
            throw e;
        }
    }

    /**
     * Makes an existing file a file object without copying it: its content stays where it is, is
     * read from there, and is left there when the file object is deleted. {@code bytes} is its size
     * now, so register a file once it is complete.
     */
    @Override
    public FileObject register(Path content, String filename, String purpose) throws IOException {
        Path target = content.toAbsolutePath().normalize();
        long bytes = Files.size(target);
        String id = newId();
        Path link = folder.resolve(id + LINK);
        AtomicFiles.writeString(link, target.toString());
        try {
            return commit(FileObject.processed(id, bytes, now(), filename, purpose));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(link);
            throw e;
        }
    }

    /**
     * A registered file moved (a finished job's folder, and the input in it): its file object now
     * reads it from there, and its size is taken again (a result file registered as it was being
     * written is complete now).
     */
    @Override
    public synchronized FileObject relink(String id, Path content) throws IOException {
        FileObject file = get(id).orElseThrow(() -> new NoSuchElementException("No such File object: " + id));
        Path target = content.toAbsolutePath().normalize();
        AtomicFiles.writeString(folder.resolve(id + LINK), target.toString());
        FileObject updated = new FileObject(file.id(), file.object(), Files.size(target), file.createdAt(), file.filename(),
                file.purpose(), file.status());
        AtomicFiles.writeString(folder.resolve(id + METADATA), Json.pretty(updated));
        byAge.remove(file);
        byId.put(id, updated);
        byAge.add(updated);
        return updated;
    }

    /** The content where it is on disk: in the store, or where a registered file lives; closing it leaves it there. */
    @Override
    public Optional<LocalContent> localContent(String id) throws IOException {
        if (get(id).isEmpty()) {
            return Optional.empty();
        }
        Path content = contentOf(id);
        return Optional.of(new LocalContent() {
            @Override
            public Path path() {
                return content;
            }

            @Override
            public void close() {
                // the store's own file: it stays
            }
        });
    }

    @Override
    public Optional<FileObject> get(String id) {
        return FileStore.isFileId(id) ? Optional.ofNullable(byId.get(id)) : Optional.empty();
    }

    /**
     * A page of files in {@code query}'s order, starting after the file {@code query.after()} (when
     * given), with whether more files follow the page.
     *
     * @throws NoSuchElementException when {@code after} names no file (deleted meanwhile, or never one)
     */
    @Override
    public Page list(Query query) {
        NavigableSet<FileObject> ordered = query.ascending() ? byAge : byAge.descendingSet();
        if (query.after() != null) {
            FileObject cursor = get(query.after()).orElseThrow(() -> new NoSuchElementException(
                    "No such File object: " + query.after()));
            ordered = ordered.tailSet(cursor, false);
        }
        List<FileObject> data = new ArrayList<>(Math.min(query.limit(), 1024) + 1);
        for (FileObject file : ordered) {
            if (query.purpose() == null || query.purpose().equals(file.purpose())) {
                data.add(file);
                if (data.size() > query.limit()) {
                    break;
                }
            }
        }
        boolean hasMore = data.size() > query.limit();
        return new Page(hasMore ? List.copyOf(data.subList(0, query.limit())) : List.copyOf(data), hasMore);
    }

    /**
     * Opens a file's content for reading, from the store or from where a registered file lives.
     *
     * @return empty when there is no such file
     * @throws NoSuchFileException when the file object exists but its content is gone (a registered
     *                             file removed by hand)
     */
    @Override
    public Optional<InputStream> openContent(String id) throws IOException {
        Optional<FileObject> file = get(id);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Files.newInputStream(contentOf(id)));
    }

    /**
     * Deletes a file object and its stored content; a registered file's content is left where it is.
     *
     * @return whether there was such a file
     */
    @Override
    public synchronized boolean delete(String id) throws IOException {
        FileObject file = get(id).orElse(null);
        if (file == null) {
            return false;
        }
        // metadata first: once it is gone the file is gone, and a leftover content file is removed at the next start
        Files.deleteIfExists(folder.resolve(id + METADATA));
        byAge.remove(file);
        byId.remove(id);
        Files.deleteIfExists(folder.resolve(id + CONTENT));
        Files.deleteIfExists(folder.resolve(id + LINK));
        return true;
    }

    private Path contentOf(String id) throws IOException {
        Path link = folder.resolve(id + LINK);
        if (Files.exists(link)) {
            return Path.of(Files.readString(link, StandardCharsets.UTF_8).trim());
        }
        return folder.resolve(id + CONTENT);
    }

    /** Makes a file exist: its metadata written, then indexed. Moving and syncing content happen before, unlocked. */
    private synchronized FileObject commit(FileObject file) throws IOException {
        AtomicFiles.writeString(folder.resolve(file.id() + METADATA), Json.pretty(file));
        byId.put(file.id(), file);
        byAge.add(file);
        return file;
    }

    /** 96 random bits: a clash with an existing or concurrent id is not going to happen; one in the index is still avoided. */
    private String newId() {
        byte[] bytes = new byte[12];
        String id;
        do {
            random.nextBytes(bytes);
            id = "file-" + HexFormat.of().formatHex(bytes);
        } while (byId.containsKey(id));
        return id;
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /** Reads the metadata earlier runs left, and removes what an interrupted store or delete left half done. */
    private void load() throws IOException {
        AtomicFiles.removeLeftovers(folder);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*" + METADATA)) {
            for (Path metadata : files) {
                String name = metadata.getFileName().toString();
                String id = name.substring(0, name.length() - METADATA.length());
                if (!FileStore.isFileId(id)) {
                    continue;
                }
                try {
                    FileObject file = MAPPER.readValue(metadata.toFile(), FileObject.class);
                    if (id.equals(file.id())) {
                        byId.put(id, file);
                        byAge.add(file);
                    } else {
                        LOG.warn("Ignoring {}: it describes {}, not {}", metadata, file.id(), id);
                    }
                } catch (IOException e) {
                    LOG.warn("Ignoring {}: it is not a file object ({})", metadata, e.getMessage());
                }
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "file-*.{content,link}")) {
            for (Path orphan : files) {
                String name = orphan.getFileName().toString();
                String id = name.substring(0, name.lastIndexOf('.'));
                if (FileStore.isFileId(id) && !byId.containsKey(id)) {
                    Files.deleteIfExists(orphan);
                }
            }
        }
    }
}
