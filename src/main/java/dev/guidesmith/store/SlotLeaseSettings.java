package dev.guidesmith.store;

import dev.guidesmith.support.Settings;
import java.time.Duration;

/**
 * How the nodes share their model servers' slots ({@link PostgresSlotLeases}).
 *
 * @param lease how long a node's claim on a place lasts unless renewed ({@code pipeline.store.slot-lease-ms}): a
 *              node that dies gives its places back within this; renewed every third of it
 * @param check how often a node reads the other nodes' places without being notified
 *              ({@code pipeline.store.slot-check-ms}): how soon it sees a dead node's leases expire
 */
public record SlotLeaseSettings(Duration lease, Duration check) {

    public static SlotLeaseSettings from(Settings settings) {
        long lease = settings.integer("pipeline.store.slot-lease-ms", 5000);
        long check = settings.integer("pipeline.store.slot-check-ms", 1000);
        if (lease < 300) {
            throw new IllegalArgumentException("pipeline.store.slot-lease-ms=" + lease + " is too short to be renewed in time"
                    + " (every third of it): give at least 300, 5000 by default");
        }
        if (check < 10) {
            throw new IllegalArgumentException("pipeline.store.slot-check-ms=" + check + ": give at least 10, 1000 by default");
        }
        return new SlotLeaseSettings(Duration.ofMillis(lease), Duration.ofMillis(check));
    }

    /** How often this node's leases are renewed: three times a lease, so two missed renewals lose nothing. */
    public Duration renewal() {
        return lease.dividedBy(3);
    }
}
