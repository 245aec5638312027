package dev.guidesmith.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A connection of its own, outside the pool, for what is tied to one session: an advisory lock
 * (the pool would hand the connection, and with it the lock, to other work), or LISTEN (the
 * notifications arrive on the session that listens). Its timeouts let a lost database show as an
 * error within seconds, not a hang.
 */
final class DedicatedConnection {

    private DedicatedConnection() {
    }

    /** @param purpose shown to the database in the application name (pg_stat_activity) */
    static Connection open(StoreSettings settings, String nodeId, String purpose) throws SQLException {
        int timeoutSeconds = timeoutSeconds(settings);
        Properties properties = new Properties();
        if (!settings.user().isEmpty()) {
            properties.setProperty("user", settings.user());
        }
        if (!settings.password().isEmpty()) {
            properties.setProperty("password", settings.password());
        }
        properties.setProperty("ApplicationName", "guidesmith " + nodeId + " " + purpose);
        properties.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        properties.setProperty("socketTimeout", Integer.toString(timeoutSeconds * 3));
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(settings.url(), properties);
    }

    static int timeoutSeconds(StoreSettings settings) {
        return (int) Math.max(1, settings.connectTimeout().toSeconds());
    }
}
