package dev.guidesmith.store;

import dev.guidesmith.llm.SharedSlots;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model servers' places (slots plus queue-depth) shared by every node, as leases in PostgreSQL:
 * table {@code guidesmith_slots}, one row per place of a server (its key: URL and model), free or
 * held by a node's claim until {@code expires_at}. The table is UNLOGGED: leases live seconds, so
 * they need not survive a crash of the database, and a commit then waits for no disk flush (a claim
 * and its release took 3.6 ms with the table logged, 0.5 ms unlogged: {@code SlotLeaseBenchmark}).
 *
 * <ul>
 * <li><b>Claim</b>: one statement takes the first free (or expired) place below the cap,
 *     {@code FOR UPDATE SKIP LOCKED}: two nodes never take one place, and neither waits on the other.</li>
 * <li><b>Lease</b>: a node renews its claims every third of {@code pipeline.store.slot-lease-ms}; a node that
 *     dies (SIGKILL, machine gone) stops renewing, and its places are free for the others once the lease
 *     runs out, within seconds.</li>
 * <li><b>Seeing the others</b>: a claim or a release NOTIFYs the other nodes; each listens on a connection
 *     of its own and re-reads what the others hold (one query), and every {@code pipeline.store.slot-check-ms}
 *     without a notification (expired leases notify no one). A place freed elsewhere wakes the scheduler.</li>
 * </ul>
 * The database lost: claims are refused, so no call starts on a shared server until it is back (calls under
 * way go on); the listener retries and wakes the scheduler when it is.
 */
public final class PostgresSlotLeases implements SharedSlots, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSlotLeases.class);
    static final String CHANNEL = "guidesmith_slots";

    private final SharedStore store;
    private final String nodeId;
    private final SlotLeaseSettings settings;
    /** This node's claims not yet released: the ones it renews. */
    private final Set<Long> held = ConcurrentHashMap.newKeySet();
    /** The places made so far per server (rows exist up to this count). */
    private final Map<String, Integer> placesMade = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<Snapshot> elsewhere = new AtomicReference<>(Snapshot.EMPTY);
    private volatile boolean reachable = true;
    private volatile boolean running;
    private Thread listener;

    /**
     * What the other nodes hold: per server, each call's expected end (nanoTime); their claims, to see one go;
     * and when it was read, so that a slower read never replaces a newer one.
     */
    private record Snapshot(Map<String, long[]> ends, Set<Long> claims, long readAt) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), Set.of(), Long.MIN_VALUE);
    }

    public PostgresSlotLeases(SharedStore store, String nodeId, SlotLeaseSettings settings) {
        this.store = store;
        this.nodeId = nodeId;
        this.settings = settings;
    }

    /** Makes the table, frees what this node held in an earlier life, reads the others and starts listening. */
    public void start() {
        store.createTables("slot leases", """
                CREATE UNLOGGED TABLE IF NOT EXISTS guidesmith_slots (
                    server       TEXT NOT NULL,
                    place        INT NOT NULL,
                    node         TEXT,
                    claim        BIGINT,
                    expires_at   TIMESTAMPTZ,
                    expected_end TIMESTAMPTZ,
                    PRIMARY KEY (server, place))""");
        try (Connection connection = store.dataSource().getConnection()) {
            freeAllOfThisNode(connection);
            elsewhere.set(read(connection));
        } catch (SQLException e) {
            throw StoreException.failed("read the model servers' slot leases", store.settings(), e);
        }
        LOG.info("Model servers' slots are shared with the other nodes through {}: leases of {} ms, renewed every {} ms",
                store.settings().describe(), settings.lease().toMillis(), settings.renewal().toMillis());
        running = true;
        listener = new Thread(this::listen, "slot-leases");
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    public OptionalLong claim(String server, int cap, Duration expected) {
        long claim = ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
        held.add(claim); // before the row: a snapshot read meanwhile must not count it as another node's
        boolean taken = false;
        try (Connection connection = store.dataSource().getConnection()) {
            makePlaces(connection, server, cap);
            try (PreparedStatement take = connection.prepareStatement("""
                    UPDATE guidesmith_slots SET node = ?, claim = ?, expires_at = now() + make_interval(secs => ?),
                           expected_end = now() + make_interval(secs => ?)
                    WHERE (server, place) = (
                        SELECT server, place FROM guidesmith_slots
                        WHERE server = ? AND place < ? AND (node IS NULL OR expires_at <= now())
                        ORDER BY place LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING place, pg_notify(?, ?)""")) {
                take.setString(1, nodeId);
                take.setLong(2, claim);
                take.setDouble(3, settings.lease().toMillis() / 1000.0);
                take.setDouble(4, expected.toMillis() / 1000.0);
                take.setString(5, server);
                take.setInt(6, cap);
                take.setString(7, CHANNEL);
                take.setString(8, nodeId);
                try (ResultSet row = take.executeQuery()) {
                    if (row.next()) {
                        taken = true;
                        return OptionalLong.of(claim);
                    }
                }
            }
            // full: what this node saw of the others was stale; see them as they are before planning again
            see(read(connection));
            return OptionalLong.empty();
        } catch (SQLException e) {
            lost("claim a slot of " + server, e);
            return OptionalLong.empty();
        } finally {
            if (!taken) {
                held.remove(claim);
            }
        }
    }

    /** Rows for the server's places up to the cap, made once per server and cap (by whichever node comes first). */
    private void makePlaces(Connection connection, String server, int cap) throws SQLException {
        if (placesMade.getOrDefault(server, 0) >= cap) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO guidesmith_slots (server, place) SELECT ?, generate_series(0, ? - 1)
                ON CONFLICT (server, place) DO NOTHING""")) {
            insert.setString(1, server);
            insert.setInt(2, cap);
            insert.executeUpdate();
        }
        placesMade.merge(server, cap, Math::max);
    }

    @Override
    public void release(long claim) {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement free = connection.prepareStatement("""
                     UPDATE guidesmith_slots SET node = NULL, claim = NULL, expires_at = NULL, expected_end = NULL
                     WHERE node = ? AND claim = ?
                     RETURNING place, pg_notify(?, ?)""")) {
            free.setString(1, nodeId);
            free.setLong(2, claim);
            free.setString(3, CHANNEL);
            free.setString(4, nodeId);
            try (ResultSet row = free.executeQuery()) {
                if (!row.next()) {
                    LOG.warn("A slot lease of node {} had expired before its call ended (not renewed for {} ms):"
                            + " another node may have sent a call beyond the server's slots meanwhile."
                            + " If the database is slow to answer, raise pipeline.store.slot-lease-ms", nodeId,
                            settings.lease().toMillis());
                }
            }
        } catch (SQLException e) {
            lost("release a slot lease", e);
        } finally {
            held.remove(claim); // released or not, it is no longer renewed: at worst it expires
        }
    }

    @Override
    public Map<String, long[]> heldElsewhere() {
        return elsewhere.get().ends();
    }

    @Override
    public boolean reachable() {
        return reachable;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * The listener's loop: waits for the other nodes' notifications on a connection of its own, renews
     * this node's leases when due, re-reads the others on a notification or when the check is due.
     */
    private void listen() {
        Connection connection = null;
        long nextRenewal = 0;
        long nextCheck = 0;
        while (running) {
            try {
                if (connection == null) {
                    connection = DedicatedConnection.open(store.settings(), nodeId, "slot leases");
                    try (Statement listen = connection.createStatement()) {
                        listen.execute("LISTEN " + CHANNEL);
                    }
                    nextCheck = 0;
                }
                long now = System.nanoTime();
                int wait = (int) Math.max(1, (Math.min(nextRenewal, nextCheck) - now) / 1_000_000);
                PGNotification[] news = connection.unwrap(PGConnection.class).getNotifications(wait);
                now = System.nanoTime();
                if (now >= nextRenewal) {
                    renew(connection);
                    nextRenewal = now + settings.renewal().toNanos();
                }
                if (fromOthers(news) || now >= nextCheck) {
                    see(read(connection));
                    nextCheck = now + settings.check().toNanos();
                }
            } catch (SQLException e) {
                if (!running) {
                    break;
                }
                lost("watch the model servers' slot leases", e);
                closeQuietly(connection);
                connection = null;
                pause(settings.check());
            }
        }
        closeQuietly(connection);
    }

    private boolean fromOthers(PGNotification[] news) {
        if (news != null) {
            for (PGNotification one : news) {
                if (!nodeId.equals(one.getParameter())) {
                    return true;
                }
            }
        }
        return false;
    }

    private void renew(Connection connection) throws SQLException {
        if (held.isEmpty()) {
            return;
        }
        Long[] claims = held.toArray(Long[]::new);
        Array array = connection.createArrayOf("bigint", claims);
        try (PreparedStatement renew = connection.prepareStatement("""
                UPDATE guidesmith_slots SET expires_at = now() + make_interval(secs => ?)
                WHERE node = ? AND claim = ANY(?)""")) {
            renew.setDouble(1, settings.lease().toMillis() / 1000.0);
            renew.setString(2, nodeId);
            renew.setArray(3, array);
            renew.executeUpdate();
        } finally {
            array.free();
        }
    }

    /**
     * The leases no call of this node holds: the other nodes', and this node's own whose release failed (no
     * local call counts them; they run out unrenewed). A call past its expected end shows as ending now (the
     * scheduler's rule for overdue calls takes over).
     */
    private Snapshot read(Connection connection) throws SQLException {
        Map<String, List<Long>> ends = new HashMap<>();
        Set<Long> claims = new HashSet<>();
        long now = System.nanoTime();
        Array mine = connection.createArrayOf("bigint", held.toArray(Long[]::new));
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT server, claim, (extract(epoch FROM expected_end - now()) * 1000)::bigint
                FROM guidesmith_slots
                WHERE node IS NOT NULL AND expires_at > now() AND (node <> ? OR claim <> ALL(?))""")) {
            select.setString(1, nodeId);
            select.setArray(2, mine);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ends.computeIfAbsent(rows.getString(1), server -> new ArrayList<>()).add(now + rows.getLong(3) * 1_000_000);
                    claims.add(rows.getLong(2));
                }
            }
        } finally {
            mine.free();
        }
        Map<String, long[]> byServer = new HashMap<>();
        ends.forEach((server, list) -> byServer.put(server, list.stream().mapToLong(Long::longValue).toArray()));
        return new Snapshot(Map.copyOf(byServer), Set.copyOf(claims), now);
    }

    /** Takes a fresh snapshot; tells the listeners when a place was freed elsewhere or the database is back. */
    private void see(Snapshot now) {
        Snapshot before = elsewhere.getAndAccumulate(now, (old, fresh) -> fresh.readAt() >= old.readAt() ? fresh : old);
        if (now.readAt() < before.readAt()) {
            return; // a newer read was taken meanwhile
        }
        boolean back = !reachable;
        if (back) {
            reachable = true;
            LOG.info("The shared store answers again: calls start on the shared model servers again");
        }
        if (back || !now.claims().containsAll(before.claims())) {
            listeners.forEach(Runnable::run);
        }
    }

    private void lost(String what, SQLException e) {
        if (reachable) {
            reachable = false;
            LOG.warn("Cannot {} in the shared store {}: {}. No call starts on a shared model server until it answers"
                    + " again (calls under way go on); check that PostgreSQL is up and reachable from this node",
                    what, store.settings().describe(), e.getMessage());
        }
    }

    /** Frees every place this node holds, and tells the others when there was one. */
    private void freeAllOfThisNode(Connection connection) throws SQLException {
        try (PreparedStatement free = connection.prepareStatement("""
                UPDATE guidesmith_slots SET node = NULL, claim = NULL, expires_at = NULL, expected_end = NULL
                WHERE node = ?""")) {
            free.setString(1, nodeId);
            if (free.executeUpdate() == 0) {
                return;
            }
        }
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, nodeId);
            notify.execute();
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session ends either way
            }
        }
    }

    /** Stops listening and renewing, leaving the leases as they are: what a killed node leaves behind (tests). */
    void stopAsIfKilled() {
        running = false;
        if (listener != null) {
            listener.interrupt();
            try {
                listener.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops listening and frees whatever this node still holds (calls under way have ended by now). */
    @Override
    public void close() {
        stopAsIfKilled();
        held.clear();
        try (Connection connection = store.dataSource().getConnection()) {
            freeAllOfThisNode(connection);
        } catch (SQLException e) {
            LOG.warn("Could not free node {}'s slot leases at stop ({}): they expire within {} ms", nodeId, e.getMessage(),
                    settings.lease().toMillis());
        }
    }
}
