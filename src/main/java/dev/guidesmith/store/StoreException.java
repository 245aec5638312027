package dev.guidesmith.store;

import java.sql.SQLException;

/** The shared store failed: what was being done, where, and the database's own words. */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A statement failed while doing {@code what}. */
    static StoreException failed(String what, StoreSettings settings, SQLException cause) {
        return new StoreException("Cannot " + what + " in the shared store " + settings.describe() + ": "
                + cause.getMessage() + ". Check that PostgreSQL is up and reachable from this node.", cause);
    }
}
