package dev.guidesmith.store;

import dev.guidesmith.batch.BatchUsage;
import dev.guidesmith.batch.ResultLog;
import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Batch result lines every node shares: table {@code guidesmith_batch_results}, one row per
 * request (job and position; its custom_id beside), holding the whole line, whether it is an
 * answer, and the answer's tokens. The primary key makes the first line of a request the only one;
 * {@code seq} keeps the order the lines came in, the order of the result files.
 */
public final class PostgresResultLog implements ResultLog {

    /** Rows fetched at a time when a job's lines are copied out: memory stays flat for any batch. */
    private static final int FETCH = 500;

    private final SharedStore store;
    private final String nodeId;

    public PostgresResultLog(SharedStore store, String nodeId) {
        this.store = store;
        this.nodeId = nodeId;
        store.createTables("batch results", """
                CREATE TABLE IF NOT EXISTS guidesmith_batch_results (
                    job           TEXT NOT NULL,
                    position      BIGINT NOT NULL,
                    custom_id     TEXT NOT NULL,
                    answered      BOOLEAN NOT NULL,
                    line          TEXT NOT NULL,
                    prompt_tokens BIGINT NOT NULL,
                    cached_tokens BIGINT NOT NULL,
                    output_tokens BIGINT NOT NULL,
                    node          TEXT NOT NULL,
                    seq           BIGSERIAL,
                    PRIMARY KEY (job, position))""",
                "CREATE INDEX IF NOT EXISTS guidesmith_batch_results_in_order ON guidesmith_batch_results (job, answered, seq)");
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public boolean keep(ResultLine line) {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO guidesmith_batch_results
                         (job, position, custom_id, answered, line, prompt_tokens, cached_tokens, output_tokens, node)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job, position) DO NOTHING""")) {
            insert.setString(1, line.job());
            insert.setLong(2, line.position());
            insert.setString(3, line.customId());
            insert.setBoolean(4, line.answered());
            insert.setString(5, line.text());
            insert.setLong(6, line.usage().inputTokens());
            insert.setLong(7, line.usage().cachedTokens());
            insert.setLong(8, line.usage().outputTokens());
            insert.setString(9, nodeId);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw StoreException.failed("keep the result of request " + line.customId() + " of job " + line.job(),
                    store.settings(), e);
        }
    }

    @Override
    public void copy(String job, boolean answers, Writer to) throws IOException {
        try (Connection connection = store.dataSource().getConnection()) {
            connection.setAutoCommit(false); // pgjdbc fetches by cursor, FETCH rows at a time, only in a transaction
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT line FROM guidesmith_batch_results WHERE job = ? AND answered = ? ORDER BY seq")) {
                select.setFetchSize(FETCH);
                select.setString(1, job);
                select.setBoolean(2, answers);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        to.write(row.getString(1));
                    }
                }
            } finally {
                connection.rollback(); // read only
            }
        } catch (SQLException e) {
            throw StoreException.failed("read the results of job " + job, store.settings(), e);
        }
    }

    @Override
    public Optional<ResultCounts> counts(String job) {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT answered, count(*), sum(prompt_tokens), sum(cached_tokens), sum(output_tokens)
                     FROM guidesmith_batch_results WHERE job = ? GROUP BY answered""")) {
            select.setString(1, job);
            long answered = 0;
            long failed = 0;
            BatchUsage usage = BatchUsage.NONE;
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    if (row.getBoolean(1)) {
                        answered = row.getLong(2);
                        usage = new BatchUsage(row.getLong(3), row.getLong(4), row.getLong(5));
                    } else {
                        failed = row.getLong(2);
                    }
                }
            }
            return Optional.of(new ResultCounts(answered, failed, usage));
        } catch (SQLException e) {
            throw StoreException.failed("count the results of job " + job, store.settings(), e);
        }
    }
}
