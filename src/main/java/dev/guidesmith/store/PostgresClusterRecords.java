package dev.guidesmith.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.guidesmith.jobs.ItemOutcome;
import dev.guidesmith.status.ClusterRecords;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as every node sees it: table {@code guidesmith_nodes}, one row per node renewed at
 * each heartbeat (role, start, last seen, calls in flight per endpoint as JSON), and the jobs of
 * {@code guidesmith_jobs} counted from their rows in {@code guidesmith_items}. Reading it is two
 * queries: the nodes, and one GROUP BY over the items of the recent jobs only (the primary key
 * {@code (job, position)} finds them, so older jobs' rows cost nothing).
 */
public final class PostgresClusterRecords implements ClusterRecords {

    private static final TypeReference<LinkedHashMap<String, Calls>> CALLS = new TypeReference<>() {
    };

    private final SharedStore store;

    public PostgresClusterRecords(SharedStore store) {
        this.store = store;
        store.createTables("node heartbeats", """
                CREATE TABLE IF NOT EXISTS guidesmith_nodes (
                    node       TEXT PRIMARY KEY,
                    role       TEXT NOT NULL,
                    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    last_seen  TIMESTAMPTZ NOT NULL DEFAULT now(),
                    stopped    BOOLEAN NOT NULL DEFAULT false,
                    calls      TEXT NOT NULL)""");
    }

    @Override
    public void beat(NodeBeat beat, boolean starting) {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     INSERT INTO guidesmith_nodes (node, role, calls) VALUES (?, ?, ?)
                     ON CONFLICT (node) DO UPDATE SET role = EXCLUDED.role, calls = EXCLUDED.calls, last_seen = now(),
                         stopped = false,
                         started_at = CASE WHEN ? THEN now() ELSE guidesmith_nodes.started_at END""")) {
            upsert.setString(1, beat.id());
            upsert.setString(2, beat.role());
            upsert.setString(3, Json.compact(beat.calls()));
            upsert.setBoolean(4, starting);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.failed("renew the heartbeat of node " + beat.id(), store.settings(), e);
        }
    }

    @Override
    public void left(String nodeId) {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE guidesmith_nodes SET stopped = true, last_seen = now(), calls = '{}' WHERE node = ?")) {
            update.setString(1, nodeId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.failed("record that node " + nodeId + " stopped", store.settings(), e);
        }
    }

    @Override
    public Reading read(Duration recent, Duration rateWindow) {
        try (Connection connection = store.dataSource().getConnection()) {
            return new Reading(nodes(connection, recent), jobs(connection, recent, rateWindow));
        } catch (SQLException e) {
            throw StoreException.failed("read the cluster's nodes and jobs", store.settings(), e);
        }
    }

    private List<NodeRow> nodes(Connection connection, Duration recent) throws SQLException {
        List<NodeRow> nodes = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT node, role, stopped, started_at, last_seen, extract(epoch FROM now() - last_seen), calls
                FROM guidesmith_nodes WHERE last_seen > now() - make_interval(secs => ?) ORDER BY node""")) {
            select.setDouble(1, recent.toMillis() / 1000.0);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    nodes.add(new NodeRow(row.getString(1), row.getString(2), row.getBoolean(3),
                            row.getTimestamp(4).toInstant(), row.getTimestamp(5).toInstant(), row.getDouble(6),
                            calls(row.getString(1), row.getString(7))));
                }
            }
        }
        return nodes;
    }

    private Map<String, Calls> calls(String node, String json) {
        try {
            return Json.MAPPER.readValue(json, CALLS);
        } catch (IOException e) {
            throw new IllegalStateException("The calls of node " + node + " in guidesmith_nodes are not JSON: " + e.getMessage(), e);
        }
    }

    private List<JobRow> jobs(Connection connection, Duration recent, Duration rateWindow) throws SQLException {
        List<JobRow> jobs = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT j.id, j.kind, j.name, j.node, j.entries, j.finished_at IS NOT NULL,
                       count(i.position) FILTER (WHERE i.outcome = ?),
                       count(i.position) FILTER (WHERE i.outcome = ?),
                       count(i.position) FILTER (WHERE i.outcome = ?),
                       count(i.position) FILTER (WHERE i.settled_at > now() - make_interval(secs => ?)),
                       coalesce(extract(epoch FROM now() - min(i.settled_at)
                           FILTER (WHERE i.settled_at > now() - make_interval(secs => ?))), 0)
                FROM guidesmith_jobs j LEFT JOIN guidesmith_items i ON i.job = j.id
                WHERE j.finished_at IS NULL OR j.finished_at > now() - make_interval(secs => ?)
                GROUP BY j.id ORDER BY j.id""")) {
            select.setString(1, ItemOutcome.DONE.name());
            select.setString(2, ItemOutcome.ALREADY_DONE.name());
            select.setString(3, ItemOutcome.FAILED.name());
            select.setDouble(4, rateWindow.toMillis() / 1000.0);
            select.setDouble(5, rateWindow.toMillis() / 1000.0);
            select.setDouble(6, recent.toMillis() / 1000.0);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    jobs.add(new JobRow(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                            row.getLong(5), row.getLong(7), row.getLong(8), row.getLong(9), row.getBoolean(6),
                            row.getLong(10), row.getDouble(11)));
                }
            }
        }
        return jobs;
    }
}
