package dev.guidesmith.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL database several nodes share, through a small connection pool (HikariCP). Opening
 * it checks at once that the database answers, so a wrong URL, a database that is down or a
 * refused login stops the start with one message naming {@code pipeline.store.url}, not a stack of
 * failures later. Each store creates its own table at start ({@code CREATE TABLE IF NOT EXISTS}).
 */
public final class SharedStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SharedStore.class);

    private final StoreSettings settings;
    private final HikariDataSource pool;

    private SharedStore(StoreSettings settings, HikariDataSource pool) {
        this.settings = settings;
        this.pool = pool;
    }

    /** @param nodeId shown to the database as the connections' application name (pg_stat_activity) */
    public static SharedStore open(StoreSettings settings, String nodeId) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("guidesmith-store");
        config.setJdbcUrl(settings.url());
        if (!settings.user().isEmpty()) {
            config.setUsername(settings.user());
        }
        if (!settings.password().isEmpty()) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        // fail the start, not the first query, when the database cannot be reached
        config.setInitializationFailTimeout(settings.connectTimeout().toMillis());
        config.addDataSourceProperty("ApplicationName", "guidesmith " + nodeId);
        config.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, settings.connectTimeout().toSeconds())));
        try {
            HikariDataSource pool = new HikariDataSource(config);
            LOG.info("Shared state in PostgreSQL at {}", settings.describe());
            return new SharedStore(settings, pool);
        } catch (RuntimeException e) {
            throw new StoreException("Cannot reach the shared store at " + settings.describe() + ": " + rootMessage(e)
                    + ". Start PostgreSQL or fix pipeline.store.url, pipeline.store.user and pipeline.store.password;"
                    + " without pipeline.store.url the state stays in local files (one node).", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    public DataSource dataSource() {
        return pool;
    }

    public StoreSettings settings() {
        return settings;
    }

    /**
     * Runs DDL statements in order (each store's CREATE TABLE IF NOT EXISTS), in one transaction under
     * a lock: two nodes starting at once would otherwise race on PostgreSQL's catalog and one would
     * fail with a duplicate key, IF NOT EXISTS notwithstanding.
     */
    void createTables(String what, String... statements) {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                statement.execute("SELECT pg_advisory_xact_lock(hashtextextended('guidesmith schema', 0))");
                for (String sql : statements) {
                    statement.execute(sql);
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw StoreException.failed("create the tables of the " + what, settings, e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
