package dev.guidesmith.store;

import dev.guidesmith.stages.StageResult;
import dev.guidesmith.stages.StageStore;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage results every node shares: table {@code guidesmith_stage_results}, one row per stage and
 * fingerprint holding the result as JSON text (as the local cache files hold it; text, not jsonb,
 * so a data stage's fields keep their order). A message redelivered to another node finds the
 * result here and makes no call again.
 */
public final class PostgresStageStore implements StageStore {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStageStore.class);

    private final SharedStore store;

    public PostgresStageStore(SharedStore store) {
        this.store = store;
        store.createTables("stage cache", """
                CREATE TABLE IF NOT EXISTS guidesmith_stage_results (
                    stage       TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    result      TEXT NOT NULL,
                    stored_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
                    PRIMARY KEY (stage, fingerprint))""");
    }

    @Override
    public Optional<StageResult> read(String stage, String fingerprint) {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT result FROM guidesmith_stage_results WHERE stage = ? AND fingerprint = ?")) {
            select.setString(1, stage);
            select.setString(2, fingerprint);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? parse(stage, fingerprint, row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            // not a miss: a miss would make the call again, and its result could not be stored either
            throw StoreException.failed("read the " + stage + " result " + fingerprint, store.settings(), e);
        }
    }

    private static Optional<StageResult> parse(String stage, String fingerprint, String json) {
        try {
            return Optional.of(Json.MAPPER.readValue(json, StageResult.class));
        } catch (IOException e) {
            LOG.warn("Stage cache row {}/{} is unreadable ({}); the stage will run again", stage, fingerprint, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void write(StageResult result) {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     INSERT INTO guidesmith_stage_results (stage, fingerprint, result) VALUES (?, ?, ?)
                     ON CONFLICT (stage, fingerprint) DO UPDATE SET result = EXCLUDED.result, stored_at = now()""")) {
            upsert.setString(1, result.stage());
            upsert.setString(2, result.fingerprint());
            upsert.setString(3, Json.MAPPER.writeValueAsString(result));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.failed("store the " + result.stage() + " result of problem " + result.problemId(),
                    store.settings(), e);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the " + result.stage() + " result of problem "
                    + result.problemId() + " as JSON: " + e.getMessage(), e);
        }
    }
}
