package dev.guidesmith.status;

import dev.guidesmith.llm.Endpoint;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.stages.StageStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cumulative counters of stages and endpoints at one moment. A job's figures are the
 * difference between its end and its start.
 */
record RunCounters(long nanos, Map<String, StageCounts> stages, Map<String, EndpointCounts> endpoints) {

    record StageCounts(long modelCalls, long cacheHits, long fromInput, long promptTokens, long outputTokens, long millis) {

        StageCounts minus(StageCounts base) {
            return new StageCounts(modelCalls - base.modelCalls, cacheHits - base.cacheHits, fromInput - base.fromInput,
                    promptTokens - base.promptTokens, outputTokens - base.outputTokens, millis - base.millis);
        }
    }

    record EndpointCounts(int slots, long completed, long failed, long promptTokens, long outputTokens, long busyMillis) {

        EndpointCounts minus(EndpointCounts base) {
            return new EndpointCounts(slots, completed - base.completed, failed - base.failed,
                    promptTokens - base.promptTokens, outputTokens - base.outputTokens, busyMillis - base.busyMillis);
        }
    }

    static final RunCounters NONE = new RunCounters(0, Map.of(), Map.of());

    static RunCounters now(StageStats stats, List<String> stageNames, ModelFleet fleet) {
        Map<String, StageCounts> stages = new LinkedHashMap<>();
        for (String name : stageNames) {
            StageStats.Counters c = stats.of(name);
            stages.put(name, new StageCounts(c.modelCalls(), c.cacheHits(), c.fromInput(), c.promptTokens(),
                    c.outputTokens(), c.millis()));
        }
        Map<String, EndpointCounts> endpoints = new LinkedHashMap<>();
        for (Endpoint e : fleet.endpoints()) {
            endpoints.put(e.name(), new EndpointCounts(e.slots(), e.completed(), e.failed(), e.promptTokens(),
                    e.outputTokens(), e.busyMillis()));
        }
        return new RunCounters(System.nanoTime(), stages, endpoints);
    }

    /** What happened between {@code base} and this moment. */
    RunCounters since(RunCounters base) {
        Map<String, StageCounts> stageDelta = new LinkedHashMap<>();
        stages.forEach((name, counts) -> stageDelta.put(name,
                counts.minus(base.stages.getOrDefault(name, new StageCounts(0, 0, 0, 0, 0, 0)))));
        Map<String, EndpointCounts> endpointDelta = new LinkedHashMap<>();
        endpoints.forEach((name, counts) -> endpointDelta.put(name,
                counts.minus(base.endpoints.getOrDefault(name, new EndpointCounts(counts.slots(), 0, 0, 0, 0, 0)))));
        return new RunCounters(nanos - base.nanos, stageDelta, endpointDelta);
    }
}
