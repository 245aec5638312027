package dev.guidesmith.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.guide.FailureFiles;
import dev.guidesmith.guide.FailureRecords;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Failure records every node shows: table {@code guidesmith_failures}, one row per record name with
 * the record and the node that wrote it. Each record is also written as a file on the node where
 * the problem failed ({@link FailureFiles}, {@code <work>/failed/<name>.json}): a problems file a
 * user drops into the inbox to try again.
 */
public final class PostgresFailureRecords implements FailureRecords {

    private final SharedStore store;
    private final FailureFiles files;
    private final String nodeId;

    public PostgresFailureRecords(SharedStore store, FailureFiles files, String nodeId) {
        this.store = store;
        this.files = files;
        this.nodeId = nodeId;
        store.createTables("failure records", """
                CREATE TABLE IF NOT EXISTS guidesmith_failures (
                    name       TEXT PRIMARY KEY,
                    record     TEXT NOT NULL,
                    node       TEXT NOT NULL,
                    written_at TIMESTAMPTZ NOT NULL DEFAULT now())""");
    }

    @Override
    public void write(String name, JsonNode record) {
        files.write(name, record);
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     INSERT INTO guidesmith_failures (name, record, node) VALUES (?, ?, ?)
                     ON CONFLICT (name) DO UPDATE SET record = EXCLUDED.record, node = EXCLUDED.node, written_at = now()""")) {
            upsert.setString(1, name);
            upsert.setString(2, Json.MAPPER.writeValueAsString(record));
            upsert.setString(3, nodeId);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.failed("store failure record " + name, store.settings(), e);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write failure record " + name + " as JSON: " + e.getMessage(), e);
        }
    }

    /** Removes the row, and the file when this node has it (another node's file stays with that node). */
    @Override
    public boolean delete(String name) {
        boolean file = files.delete(name);
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM guidesmith_failures WHERE name = ?")) {
            delete.setString(1, name);
            return delete.executeUpdate() > 0 || file;
        } catch (SQLException e) {
            throw StoreException.failed("remove failure record " + name, store.settings(), e);
        }
    }

    @Override
    public List<Stored> newest(int count) {
        List<Stored> found = new ArrayList<>();
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT name, record, written_at FROM guidesmith_failures ORDER BY written_at DESC, name LIMIT ?")) {
            select.setInt(1, count);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    found.add(new Stored(row.getString(1), Json.MAPPER.readTree(row.getString(2)),
                            row.getTimestamp(3).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw StoreException.failed("read the newest failure records", store.settings(), e);
        } catch (IOException e) {
            throw new IllegalStateException("A failure record in the shared store is not JSON: " + e.getMessage(), e);
        }
        Collections.reverse(found); // oldest first
        return found;
    }
}
