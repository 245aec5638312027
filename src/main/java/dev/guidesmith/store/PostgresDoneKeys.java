package dev.guidesmith.store;

import dev.guidesmith.jobs.DoneKeys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Done keys every node shares: table {@code guidesmith_done}, one row per finished problem's done
 * key, with the node that finished it. A key found done is remembered in memory (done stays done),
 * so a problem is looked up in the database until it is found, then never again.
 */
public final class PostgresDoneKeys implements DoneKeys {

    private final SharedStore store;
    private final String nodeId;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public PostgresDoneKeys(SharedStore store, String nodeId) {
        this.store = store;
        this.nodeId = nodeId;
    }

    @Override
    public void open() {
        store.createTables("done registry", """
                CREATE TABLE IF NOT EXISTS guidesmith_done (
                    done_key TEXT PRIMARY KEY,
                    node     TEXT NOT NULL,
                    done_at  TIMESTAMPTZ NOT NULL DEFAULT now())""");
    }

    @Override
    public boolean contains(String key) {
        if (known.contains(key)) {
            return true;
        }
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT 1 FROM guidesmith_done WHERE done_key = ?")) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    known.add(key);
                    return true;
                }
                return false;
            }
        } catch (SQLException e) {
            throw StoreException.failed("look up done key " + key, store.settings(), e);
        }
    }

    @Override
    public void add(String key) {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO guidesmith_done (done_key, node) VALUES (?, ?) ON CONFLICT (done_key) DO NOTHING")) {
            insert.setString(1, key);
            insert.setString(2, nodeId);
            insert.executeUpdate();
            known.add(key);
        } catch (SQLException e) {
            throw StoreException.failed("record done key " + key, store.settings(), e);
        }
    }

    @Override
    public long count() {
        try (Connection connection = store.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM guidesmith_done")) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw StoreException.failed("count the done keys", store.settings(), e);
        }
    }

    @Override
    public void clear() {
        try (Connection connection = store.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM guidesmith_done");
            known.clear();
        } catch (SQLException e) {
            throw StoreException.failed("clear the done keys", store.settings(), e);
        }
    }

    @Override
    public void close() {
        // the pool belongs to the SharedStore, closed with it
    }
}
