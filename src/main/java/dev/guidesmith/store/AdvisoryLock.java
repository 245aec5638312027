package dev.guidesmith.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL session-level advisory lock held on a connection of its own (outside the pool, which
 * would hand the connection, and with it the lock, to other work). Whoever holds it leads.
 *
 * <p>Why this lock and not another component: the nodes already share the database, so leadership
 * needs nothing more to run; and the server releases the lock the moment the holder's session ends,
 * so when a leader dies (SIGKILL, machine gone: its socket closes, or TCP keep-alive finds it
 * dead) another node's next try takes it, within seconds, with no lease to expire.
 */
public final class AdvisoryLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLock.class);

    private final StoreSettings settings;
    private final String name;
    private final String nodeId;
    private Connection connection;
    private boolean held;

    /** @param name what the lock guards; its hash is the lock's key */
    public AdvisoryLock(StoreSettings settings, String name, String nodeId) {
        this.settings = settings;
        this.name = name;
        this.nodeId = nodeId;
    }

    /**
     * Keeps the lock, or tries to take it.
     *
     * @return whether this node holds the lock now; false also when the database cannot be reached
     *         (a leader that loses its connection has lost the lock with it)
     */
    public synchronized boolean holdOrTake() {
        try {
            if (connection != null && !connection.isValid(timeoutSeconds())) {
                LOG.warn("Lost the connection holding the {} lock to {}", name, settings.describe());
                drop();
            }
            if (connection == null) {
                connection = connect();
            }
            if (!held) {
                try (PreparedStatement take = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
                    take.setString(1, name);
                    try (ResultSet row = take.executeQuery()) {
                        held = row.next() && row.getBoolean(1);
                    }
                }
            }
            return held;
        } catch (SQLException e) {
            LOG.warn("Cannot take or keep the {} lock in {}: {}", name, settings.describe(), e.getMessage());
            drop();
            return false;
        }
    }

    private int timeoutSeconds() {
        return DedicatedConnection.timeoutSeconds(settings);
    }

    private Connection connect() throws SQLException {
        return DedicatedConnection.open(settings, nodeId, "leader lock");
    }

    private void drop() {
        held = false;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session is gone either way, and the server frees its lock with it
            }
            connection = null;
        }
    }

    public synchronized boolean held() {
        return held;
    }

    /** Gives the lock up (closing its session frees it at once). */
    @Override
    public synchronized void close() {
        drop();
    }
}
