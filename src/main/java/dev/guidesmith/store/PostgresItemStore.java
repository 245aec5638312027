package dev.guidesmith.store;

import dev.guidesmith.jobs.ItemOutcome;
import dev.guidesmith.jobs.ItemRef;
import dev.guidesmith.jobs.ItemStore;
import dev.guidesmith.jobs.ItemsInPipeline;
import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobCounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Item state every node shares: table {@code guidesmith_items}, one row per settled item (job,
 * position, outcome, the node that settled it), so a job resumed by another node skips what the
 * dead node settled. Like the local ledger, a job's settled positions are loaded into a bit set when
 * it opens; the items in the pipeline are this node's own, in memory.
 */
public final class PostgresItemStore implements ItemStore {

    private final SharedStore store;
    private final String nodeId;
    private final Map<String, Ledger> ledgers = new ConcurrentHashMap<>();
    private final ItemsInPipeline inPipeline = new ItemsInPipeline();

    /** One open job's settled items, as loaded and as settled since. */
    private static final class Ledger {
        final BitSet settled = new BitSet();
        JobCounts counts = JobCounts.NONE;

        boolean mark(long position, ItemOutcome outcome) {
            int index = Math.toIntExact(position);
            if (settled.get(index)) {
                return false;
            }
            settled.set(index);
            counts = counts.plus(outcome);
            return true;
        }
    }

    public PostgresItemStore(SharedStore store, String nodeId) {
        this.store = store;
        this.nodeId = nodeId;
        store.createTables("item ledger", """
                CREATE TABLE IF NOT EXISTS guidesmith_items (
                    job        TEXT NOT NULL,
                    position   BIGINT NOT NULL,
                    outcome    TEXT NOT NULL,
                    node       TEXT NOT NULL,
                    settled_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    PRIMARY KEY (job, position))""");
    }

    @Override
    public JobCounts open(Job job) {
        return ledgers.computeIfAbsent(job.id(), this::load).counts;
    }

    private Ledger load(String job) {
        Ledger ledger = new Ledger();
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT position, outcome FROM guidesmith_items WHERE job = ?")) {
            select.setString(1, job);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    ledger.mark(row.getLong(1), ItemOutcome.valueOf(row.getString(2)));
                }
            }
            return ledger;
        } catch (SQLException e) {
            throw StoreException.failed("read the settled items of job " + job, store.settings(), e);
        }
    }

    @Override
    public boolean isSettled(String job, long position) {
        Ledger ledger = ledger(job);
        synchronized (ledger) {
            return ledger.settled.get(Math.toIntExact(position));
        }
    }

    @Override
    public JobCounts counts(String job) {
        Ledger ledger = ledgers.get(job);
        if (ledger == null) {
            return JobCounts.NONE;
        }
        synchronized (ledger) {
            return ledger.counts;
        }
    }

    @Override
    public void admit(ItemRef item) {
        inPipeline.admit(item);
    }

    @Override
    public void advance(ItemRef item, String stage) {
        inPipeline.advance(item, stage);
    }

    @Override
    public Settlement settle(ItemRef item, ItemOutcome outcome) {
        boolean admitted = inPipeline.leave(item);
        Ledger ledger = ledgers.get(item.job());
        if (ledger == null) {
            return new Settlement(null, admitted); // the job finished: every item of it was settled already
        }
        synchronized (ledger) {
            if (ledger.settled.get(Math.toIntExact(item.position()))) {
                return new Settlement(null, admitted);
            }
            // a row there already (another node resumed the job too and settled it first) is kept;
            // here the item is settled now either way, so the job can finish on this node
            record(item, outcome);
            ledger.mark(item.position(), outcome);
            return new Settlement(ledger.counts, admitted);
        }
    }

    private void record(ItemRef item, ItemOutcome outcome) {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO guidesmith_items (job, position, outcome, node) VALUES (?, ?, ?, ?)
                     ON CONFLICT (job, position) DO NOTHING""")) {
            insert.setString(1, item.job());
            insert.setLong(2, item.position());
            insert.setString(3, outcome.name());
            insert.setString(4, nodeId);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.failed("settle item " + item.position() + " of job " + item.job(), store.settings(), e);
        }
    }

    @Override
    public void close(Job job) {
        ledgers.remove(job.id());
    }

    @Override
    public Map<String, Integer> inFlightByStage() {
        return inPipeline.byStage();
    }

    private Ledger ledger(String job) {
        Ledger ledger = ledgers.get(job);
        if (ledger == null) {
            throw new IllegalStateException("The items of job " + job + " are not open (the job has not begun, or has finished)");
        }
        return ledger;
    }
}
