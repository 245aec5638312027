package dev.guidesmith.store;

import dev.guidesmith.batch.BatchRecord;
import dev.guidesmith.batch.BatchRecords;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Batch records every node shares: table {@code guidesmith_batches}, one row per batch holding its
 * record as JSON, with the columns it is looked up by. Every read goes to the database (a batch made,
 * cancelled or finished on another node is seen at once); a change is made under the row's lock,
 * so two nodes changing one batch do not lose either change.
 */
public final class PostgresBatchRecords implements BatchRecords {

    private final SharedStore store;
    private final String nodeId;

    public PostgresBatchRecords(SharedStore store, String nodeId) {
        this.store = store;
        this.nodeId = nodeId;
        store.createTables("batches", """
                CREATE TABLE IF NOT EXISTS guidesmith_batches (
                    id          TEXT PRIMARY KEY,
                    job         TEXT UNIQUE,
                    created_at  BIGINT NOT NULL,
                    output_file TEXT,
                    record      TEXT NOT NULL)""");
    }

    @Override
    public BatchRecord create(String name, String inputFileId, String endpoint, String completionWindow, Long expiresAt,
                              Map<String, String> metadata) {
        BatchRecord record = BatchRecords.newRecord(name, inputFileId, endpoint, completionWindow, expiresAt, metadata);
        record.node = nodeId;
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO guidesmith_batches (id, job, created_at, output_file, record) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, record.id);
            insert.setString(2, record.job);
            insert.setLong(3, record.createdAt);
            insert.setString(4, record.outputFile);
            insert.setString(5, Json.compact(record));
            insert.executeUpdate();
            return record;
        } catch (SQLException e) {
            throw StoreException.failed("keep the new batch " + record.id + " (" + name + ")", store.settings(), e);
        }
    }

    @Override
    public Optional<BatchRecord> get(String id) {
        return BatchRecords.isBatchId(id) ? one("SELECT record FROM guidesmith_batches WHERE id = ?", id, "read batch " + id)
                : Optional.empty();
    }

    @Override
    public Optional<BatchRecord> forJob(String job) {
        return one("SELECT record FROM guidesmith_batches WHERE job = ?", job, "find the batch of job " + job);
    }

    private Optional<BatchRecord> one(String sql, String key, String what) {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(parse(row.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw StoreException.failed(what, store.settings(), e);
        }
    }

    @Override
    public List<BatchRecord> all() {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT record FROM guidesmith_batches ORDER BY created_at DESC, id DESC");
             ResultSet row = select.executeQuery()) {
            List<BatchRecord> records = new ArrayList<>();
            while (row.next()) {
                records.add(parse(row.getString(1)));
            }
            return records;
        } catch (SQLException e) {
            throw StoreException.failed("list the batches", store.settings(), e);
        }
    }

    @Override
    public BatchRecord change(String id, Consumer<BatchRecord> change) {
        try (Connection connection = store.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                BatchRecord record;
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT record FROM guidesmith_batches WHERE id = ? FOR UPDATE")) {
                    select.setString(1, id);
                    try (ResultSet row = select.executeQuery()) {
                        if (!row.next()) {
                            throw new IllegalArgumentException("No batch " + id);
                        }
                        record = parse(row.getString(1));
                    }
                }
                change.accept(record);
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE guidesmith_batches SET job = ?, output_file = ?, record = ? WHERE id = ?")) {
                    update.setString(1, record.job);
                    update.setString(2, record.outputFile);
                    update.setString(3, Json.compact(record));
                    update.setString(4, id);
                    update.executeUpdate();
                }
                connection.commit();
                return record;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw StoreException.failed("change batch " + id, store.settings(), e);
        }
    }

    @Override
    public boolean resultsNamed(String outputFile) {
        return one("SELECT record FROM guidesmith_batches WHERE output_file = ? LIMIT 1", outputFile,
                "look for the batch writing " + outputFile).isPresent();
    }

    @Override
    public boolean madeHere(BatchRecord record) {
        return nodeId.equals(record.node);
    }

    private static BatchRecord parse(String json) {
        try {
            return Json.MAPPER.readValue(json, BatchRecord.class);
        } catch (IOException e) {
            throw new IllegalStateException("A batch record in table guidesmith_batches is not readable JSON: " + e.getMessage(), e);
        }
    }
}
