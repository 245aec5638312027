package dev.guidesmith.status;

import dev.guidesmith.checks.CheckCatalog;
import dev.guidesmith.checks.CheckStats;
import dev.guidesmith.llm.Endpoint;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.stages.StageStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cumulative counters of stages, checks and endpoints at one moment. A job's figures are the
 * difference between its end and its start.
 */
record RunCounters(long nanos, Map<String, StageCounts> stages, Map<String, CheckCounts> checks,
                   Map<String, EndpointCounts> endpoints) {

    RunCounters(long nanos, Map<String, StageCounts> stages, Map<String, EndpointCounts> endpoints) {
        this(nanos, stages, Map.of(), endpoints);
    }

    record StageCounts(long modelCalls, long repairCalls, long cacheHits, long fromInput, long promptTokens,
                       long cachedTokens, long outputTokens, long millis) {

        StageCounts minus(StageCounts base) {
            return new StageCounts(modelCalls - base.modelCalls, repairCalls - base.repairCalls, cacheHits - base.cacheHits,
                    fromInput - base.fromInput, promptTokens - base.promptTokens, cachedTokens - base.cachedTokens,
                    outputTokens - base.outputTokens, millis - base.millis);
        }
    }

    record CheckCounts(boolean active, long passed, long repaired, long failed) {

        CheckCounts minus(CheckCounts base) {
            return new CheckCounts(active, passed - base.passed, repaired - base.repaired, failed - base.failed);
        }
    }

    record EndpointCounts(int slots, long completed, long failed, long promptTokens, long cachedTokens, long outputTokens,
                          long busyMillis) {

        EndpointCounts minus(EndpointCounts base) {
            return new EndpointCounts(slots, completed - base.completed, failed - base.failed,
                    promptTokens - base.promptTokens, cachedTokens - base.cachedTokens, outputTokens - base.outputTokens,
                    busyMillis - base.busyMillis);
        }
    }

    static final RunCounters NONE = new RunCounters(0, Map.of(), Map.of(), Map.of());

    static RunCounters now(StageStats stats, List<String> stageNames, CheckStats checkStats, ModelFleet fleet) {
        Map<String, StageCounts> stages = new LinkedHashMap<>();
        for (String name : stageNames) {
            StageStats.Counters c = stats.of(name);
            stages.put(name, new StageCounts(c.modelCalls(), c.repairCalls(), c.cacheHits(), c.fromInput(), c.promptTokens(),
                    c.cachedTokens(), c.outputTokens(), c.millis()));
        }
        Map<String, CheckCounts> checks = new LinkedHashMap<>();
        for (CheckCatalog.Availability check : checkStats.availability()) {
            CheckStats.Counters c = checkStats.of(check.check());
            checks.put(check.check(), new CheckCounts(check.active(), c.passed(), c.repaired(), c.failed()));
        }
        Map<String, EndpointCounts> endpoints = new LinkedHashMap<>();
        for (Endpoint e : fleet.endpoints()) {
            endpoints.put(e.name(), new EndpointCounts(e.slots(), e.completed(), e.failed(), e.promptTokens(),
                    e.cachedTokens(), e.outputTokens(), e.busyMillis()));
        }
        return new RunCounters(System.nanoTime(), stages, checks, endpoints);
    }

    /** What happened between {@code base} and this moment. */
    RunCounters since(RunCounters base) {
        Map<String, StageCounts> stageDelta = new LinkedHashMap<>();
        stages.forEach((name, counts) -> stageDelta.put(name,
                counts.minus(base.stages.getOrDefault(name, new StageCounts(0, 0, 0, 0, 0, 0, 0, 0)))));
        Map<String, CheckCounts> checkDelta = new LinkedHashMap<>();
        checks.forEach((name, counts) -> checkDelta.put(name,
                counts.minus(base.checks.getOrDefault(name, new CheckCounts(counts.active(), 0, 0, 0)))));
        Map<String, EndpointCounts> endpointDelta = new LinkedHashMap<>();
        endpoints.forEach((name, counts) -> endpointDelta.put(name,
                counts.minus(base.endpoints.getOrDefault(name, new EndpointCounts(counts.slots(), 0, 0, 0, 0, 0, 0)))));
        return new RunCounters(nanos - base.nanos, stageDelta, checkDelta, endpointDelta);
    }
}
