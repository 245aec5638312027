package dev.guidesmith.stages;

import java.util.List;

/**
 * A stage asked again because checks failed on its result.
 *
 * @param stage    the stage to ask
 * @param failures what failed in its result, each quoted in the repair prompt
 * @param attempt  1 for the stage's first repair of this guide, 2 for the next, ...
 */
public record StageRepair(String stage, List<CheckFailure> failures, int attempt) {

    public StageRepair {
        failures = List.copyOf(failures);
    }
}
