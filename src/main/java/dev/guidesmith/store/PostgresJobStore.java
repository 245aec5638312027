package dev.guidesmith.store;

import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobCounts;
import dev.guidesmith.jobs.JobFolders;
import dev.guidesmith.jobs.JobStore;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jobs every node can resume: each accepted job is kept in this node's folders ({@link JobFolders},
 * which the items are read from) and in table {@code guidesmith_jobs}, with a copy of its file, until
 * it finishes. When a node dies mid-job, the node that leads next finds the job here, puts it into
 * its own folders and resumes it; the items settled before are in the shared item store.
 */
public final class PostgresJobStore implements JobStore {

    private final SharedStore store;
    private final JobFolders folders;
    private final String nodeId;

    public PostgresJobStore(SharedStore store, JobFolders folders, String nodeId) {
        this.store = store;
        this.folders = folders;
        this.nodeId = nodeId;
        store.createTables("jobs", """
                CREATE TABLE IF NOT EXISTS guidesmith_jobs (
                    id          TEXT PRIMARY KEY,
                    kind        TEXT NOT NULL,
                    name        TEXT NOT NULL,
                    file_name   TEXT NOT NULL,
                    entries     BIGINT NOT NULL,
                    accepted_at TEXT NOT NULL,
                    node        TEXT NOT NULL,
                    content     BYTEA NOT NULL,
                    finished_at TIMESTAMPTZ,
                    counts      TEXT)""", """
                ALTER TABLE guidesmith_jobs ADD COLUMN IF NOT EXISTS sent_position BIGINT NOT NULL DEFAULT -1""");
    }

    @Override
    public Job accept(String path, String name) {
        Job job = folders.accept(path, name);
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO guidesmith_jobs (id, kind, name, file_name, entries, accepted_at, node, content)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, job.id());
            insert.setString(2, job.kind());
            insert.setString(3, job.name());
            insert.setString(4, job.file().getFileName().toString());
            insert.setLong(5, job.entries());
            insert.setString(6, job.acceptedAt());
            insert.setString(7, nodeId);
            // streamed to the server as it is sent, not read into memory first (a batch file may be far larger than the heap)
            try (InputStream content = Files.newInputStream(job.file())) {
                insert.setBinaryStream(8, content, Files.size(job.file()));
                insert.executeUpdate();
            }
            return job;
        } catch (SQLException e) {
            folders.discard(job); // not kept where another node could resume it: not accepted
            throw StoreException.failed("keep " + name + " as a job", store.settings(), e);
        } catch (IOException e) {
            folders.discard(job);
            throw new UncheckedIOException("Cannot read " + job.file() + " to keep it in the shared store: " + e.getMessage(), e);
        }
    }

    /**
     * The jobs not finished, whichever node accepted them (jobs of another node are put into this
     * node's folders first, their files fetched one at a time: a batch file may be large), and this
     * node's own unfinished jobs from before the store was shared.
     */
    @Override
    public List<Job> unfinished() {
        Map<String, Job> here = new LinkedHashMap<>();
        folders.unfinished().forEach(job -> here.put(job.id(), job));
        List<Job> jobs = new ArrayList<>();
        Map<String, String> finished = new HashMap<>(); // id → counts (JSON)
        try (Connection connection = store.dataSource().getConnection()) {
            List<Job> kept = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT id, kind, name, file_name, entries, accepted_at FROM guidesmith_jobs
                    WHERE finished_at IS NULL ORDER BY id""");
                 ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    kept.add(new Job(row.getString(1), row.getString(2), row.getString(3), Path.of(row.getString(4)),
                            row.getLong(5), row.getString(6)));
                }
            }
            for (Job job : kept) {
                Job local = here.remove(job.id());
                jobs.add(local != null ? local : folders.restore(job, content(connection, job.id())));
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, counts FROM guidesmith_jobs WHERE finished_at IS NOT NULL");
                 ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    finished.put(row.getString(1), row.getString(2));
                }
            }
        } catch (SQLException e) {
            throw StoreException.failed("list the unfinished jobs", store.settings(), e);
        }
        for (Job local : here.values()) {
            if (finished.containsKey(local.id())) {
                // this node died under it, and another node finished it: out of the way, like a job finished here
                folders.finish(local, counts(finished.get(local.id())));
            } else {
                jobs.add(local);
            }
        }
        jobs.sort(Comparator.comparing(Job::id));
        return jobs;
    }

    private static byte[] content(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT content FROM guidesmith_jobs WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("job " + id + " is no longer in guidesmith_jobs");
                }
                return row.getBytes(1);
            }
        }
    }

    private static JobCounts counts(String json) {
        try {
            return json == null ? JobCounts.NONE : Json.MAPPER.readValue(json, JobCounts.class);
        } catch (IOException e) {
            return JobCounts.NONE; // only the finished job's record shows them
        }
    }

    @Override
    public Path finish(Job job, JobCounts counts) {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE guidesmith_jobs SET finished_at = now(), counts = ?, content = ''::bytea WHERE id = ?")) {
            update.setString(1, Json.compact(counts));
            update.setString(2, job.id());
            update.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.failed("mark " + job + " finished", store.settings(), e);
        }
        return folders.finish(job, counts);
    }

    /**
     * Unfinished here, or anywhere: an item of a job whose node died can reach the node that leads
     * next before that node took the job up (its folder is not here yet).
     */
    @Override
    public boolean isUnfinished(String id) {
        if (folders.isUnfinished(id)) {
            return true;
        }
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT 1 FROM guidesmith_jobs WHERE id = ? AND finished_at IS NULL")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        } catch (SQLException e) {
            throw StoreException.failed("look up job " + id, store.settings(), e);
        }
    }

    /** In the shared table, so the node that resumes the job does not send again what the broker holds. */
    @Override
    public void markSent(Job job, long position) {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE guidesmith_jobs SET sent_position = GREATEST(sent_position, ?) WHERE id = ?")) {
            update.setLong(1, position);
            update.setString(2, job.id());
            if (update.executeUpdate() == 0) {
                folders.markSent(job, position); // a job of this node from before the store was shared
            }
        } catch (SQLException e) {
            throw StoreException.failed("record the items of " + job + " sent to the broker", store.settings(), e);
        }
    }

    @Override
    public long lastSent(Job job) {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT sent_position FROM guidesmith_jobs WHERE id = ?")) {
            select.setString(1, job.id());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : folders.lastSent(job);
            }
        } catch (SQLException e) {
            throw StoreException.failed("read the items of " + job + " sent to the broker", store.settings(), e);
        }
    }
}
