package dev.guidesmith.stages;

import java.util.Optional;

/**
 * Where stage results are kept durably, addressed by stage and fingerprint: files under
 * {@code <work>/cache} for one node ({@link StageFiles}), a database table for several
 * ({@code dev.guidesmith.store}). A repair replaces the result under the same fingerprint.
 */
public interface StageStore {

    /** The result stored under this fingerprint; empty when there is none (or it cannot be read). */
    Optional<StageResult> read(String stage, String fingerprint);

    /** Stores a result, replacing one stored under the same stage and fingerprint. */
    void write(StageResult result);
}
