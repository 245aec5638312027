package dev.guidesmith.store;

import dev.guidesmith.batch.FileObject;
import dev.guidesmith.batch.FileStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.largeobject.BlobOutputStream;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;

/**
 * The Files API's files every node shares: table {@code guidesmith_files}, one row per file object,
 * its content a PostgreSQL large object. Content is streamed in and out in blocks (a 300 MB upload
 * never sits in the heap); large objects rather than a {@code bytea} column, which pgjdbc reads
 * and writes whole. Where a file must be on disk (a batch's input, checked and copied into its
 * job), it is copied into this node's {@code copies} folder for as long as the reader needs it.
 */
public final class PostgresFileStore implements FileStore {

    /** Bytes a round trip to the database carries when content is streamed (pgjdbc's default is 1 KB to 4 KB). */
    private static final int BLOCK = 1 << 18;
    private static final String COLUMNS = "id, bytes, created_at, filename, purpose";

    private final SharedStore store;
    private final Path copies;
    private final String nodeId;
    private final SecureRandom random = new SecureRandom();

    /** @param copies this node's folder for the copies of files' content a reader needs on disk */
    public PostgresFileStore(SharedStore store, Path copies, String nodeId) {
        this.store = store;
        this.copies = copies;
        this.nodeId = nodeId;
        store.createTables("files", """
                CREATE TABLE IF NOT EXISTS guidesmith_files (
                    id         TEXT PRIMARY KEY,
                    bytes      BIGINT NOT NULL,
                    created_at BIGINT NOT NULL,
                    filename   TEXT NOT NULL,
                    purpose    TEXT NOT NULL,
                    content    OID NOT NULL,
                    node       TEXT NOT NULL)""",
                "CREATE INDEX IF NOT EXISTS guidesmith_files_by_age ON guidesmith_files (created_at, id)");
    }

    /** Copies the upload into the database, then removes it. */
    @Override
    public FileObject store(Path upload, String filename, String purpose) throws IOException {
        FileObject stored = copyIn(upload, filename, purpose);
        Files.deleteIfExists(upload);
        return stored;
    }

    /** Copies the file's content into the database: every node reads it from there. */
    @Override
    public FileObject register(Path content, String filename, String purpose) throws IOException {
        return copyIn(content, filename, purpose);
    }

    /** The content was copied when it was registered: where the file went since does not matter. */
    @Override
    public FileObject relink(String id, Path content) {
        return get(id).orElseThrow(() -> new NoSuchElementException("No such File object: " + id));
    }

    private FileObject copyIn(Path file, String filename, String purpose) throws IOException {
        String id = newId();
        long createdAt = Instant.now().getEpochSecond();
        try (Connection connection = store.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                LargeObjectManager objects = connection.unwrap(PGConnection.class).getLargeObjectAPI();
                long oid = objects.createLO(LargeObjectManager.READWRITE);
                long bytes;
                try (LargeObject object = objects.open(oid, LargeObjectManager.WRITE);
                     OutputStream out = new BlobOutputStream(object, BLOCK);
                     InputStream in = Files.newInputStream(file)) {
                    bytes = in.transferTo(out);
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO guidesmith_files (" + COLUMNS
                        + ", content, node) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, id);
                    insert.setLong(2, bytes);
                    insert.setLong(3, createdAt);
                    insert.setString(4, filename);
                    insert.setString(5, purpose);
                    insert.setLong(6, oid);
                    insert.setString(7, nodeId);
                    insert.executeUpdate();
                }
                connection.commit();
                return FileObject.processed(id, bytes, createdAt, filename, purpose);
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback(); // the large object goes with the transaction
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.failed("store " + filename + " as a file", store.settings(), e);
        }
    }

    /** A copy of the content in this node's {@code copies} folder, removed when the caller closes it. */
    @Override
    public Optional<LocalContent> localContent(String id) throws IOException {
        Optional<InputStream> content = openContent(id);
        if (content.isEmpty()) {
            return Optional.empty();
        }
        Files.createDirectories(copies);
        // one copy per caller: two readers of one file at once do not share (nor remove) each other's
        Path copy = Files.createTempFile(copies, id + "-", ".content");
        try (InputStream in = content.get()) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
        return Optional.of(new LocalContent() {
            @Override
            public Path path() {
                return copy;
            }

            @Override
            public void close() throws IOException {
                Files.deleteIfExists(copy);
            }
        });
    }

    @Override
    public Optional<FileObject> get(String id) {
        if (!FileStore.isFileId(id)) {
            return Optional.empty();
        }
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM guidesmith_files WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(file(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw StoreException.failed("read the file object " + id, store.settings(), e);
        }
    }

    @Override
    public Page list(Query query) {
        String order = query.ascending() ? "ASC" : "DESC";
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM guidesmith_files WHERE true");
        if (query.purpose() != null) {
            sql.append(" AND purpose = ?");
        }
        if (query.after() != null) {
            // after the cursor in the listing's own order: (created_at, id) is a total order
            sql.append(" AND (created_at, id) ").append(query.ascending() ? ">" : "<")
                    .append(" (SELECT created_at, id FROM guidesmith_files WHERE id = ?)");
        }
        sql.append(" ORDER BY created_at ").append(order).append(", id ").append(order).append(" LIMIT ?");
        try (Connection connection = store.dataSource().getConnection()) {
            if (query.after() != null && !exists(connection, query.after())) {
                throw new NoSuchElementException("No such File object: " + query.after());
            }
            try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                int parameter = 1;
                if (query.purpose() != null) {
                    select.setString(parameter++, query.purpose());
                }
                if (query.after() != null) {
                    select.setString(parameter++, query.after());
                }
                select.setLong(parameter, query.limit() + 1L);
                List<FileObject> data = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        data.add(file(row));
                    }
                }
                boolean hasMore = data.size() > query.limit();
                return new Page(hasMore ? List.copyOf(data.subList(0, query.limit())) : List.copyOf(data), hasMore);
            }
        } catch (SQLException e) {
            throw StoreException.failed("list the files", store.settings(), e);
        }
    }

    private static boolean exists(Connection connection, String id) throws SQLException {
        if (!FileStore.isFileId(id)) {
            return false;
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM guidesmith_files WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /**
     * The content, read from the database block by block as the caller reads; the stream holds one
     * pooled connection (in a read transaction, as large objects need) until it is closed.
     */
    @Override
    public Optional<InputStream> openContent(String id) {
        if (!FileStore.isFileId(id)) {
            return Optional.empty();
        }
        Connection connection = null;
        try {
            connection = store.dataSource().getConnection();
            connection.setAutoCommit(false);
            long oid;
            try (PreparedStatement select = connection.prepareStatement("SELECT content FROM guidesmith_files WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        connection.rollback();
                        connection.close();
                        return Optional.empty();
                    }
                    oid = row.getLong(1);
                }
            }
            LargeObject object = connection.unwrap(PGConnection.class).getLargeObjectAPI().open(oid, LargeObjectManager.READ);
            return Optional.of(new ContentStream(object, connection));
        } catch (SQLException e) {
            closeQuietly(connection);
            throw StoreException.failed("read the content of " + id, store.settings(), e);
        }
    }

    /** A large object's content; closing it ends the read transaction and returns the connection. */
    private static final class ContentStream extends FilterInputStream {
        private final LargeObject object;
        private final Connection connection;

        ContentStream(LargeObject object, Connection connection) throws SQLException {
            super(object.getInputStream(BLOCK, Long.MAX_VALUE));
            this.object = object;
            this.connection = connection;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
                object.close();
                connection.commit();
            } catch (SQLException e) {
                throw new IOException("Cannot end reading a file from the shared store: " + e.getMessage(), e);
            } finally {
                closeQuietly(connection);
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the pool discards a broken connection
            }
        }
    }

    @Override
    public boolean delete(String id) throws IOException {
        if (!FileStore.isFileId(id)) {
            return false;
        }
        try (Connection connection = store.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM guidesmith_files WHERE id = ? RETURNING content")) {
                delete.setString(1, id);
                try (ResultSet row = delete.executeQuery()) {
                    if (!row.next()) {
                        connection.rollback();
                        return false;
                    }
                    connection.unwrap(PGConnection.class).getLargeObjectAPI().delete(row.getLong(1));
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.failed("delete the file " + id, store.settings(), e);
        }
        return true;
    }

    private static FileObject file(ResultSet row) throws SQLException {
        return FileObject.processed(row.getString(1), row.getLong(2), row.getLong(3), row.getString(4), row.getString(5));
    }

    /** 96 random bits, as the local store's: a clash would fail the insert, not overwrite a file. */
    private String newId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "file-" + HexFormat.of().formatHex(bytes);
    }
}
