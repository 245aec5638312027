package dev.guidesmith.guide;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * Where failure records are kept, by name: files under {@code <work>/failed} for one node
 * ({@link FailureFiles}); those files plus a database table for several nodes, so every node shows
 * the cluster's failures ({@code dev.guidesmith.store}).
 */
public interface FailureRecords {

    /** Writes (or replaces) a record. */
    void write(String name, JsonNode record);

    /** Removes a record; whether there was one. */
    boolean delete(String name);

    /** The newest records, oldest first. */
    List<Stored> newest(int count);

    /** A record as kept, and when it was written. */
    record Stored(String name, JsonNode record, Instant written) {
    }
}
