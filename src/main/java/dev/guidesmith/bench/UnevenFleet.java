package dev.guidesmith.bench;

import dev.guidesmith.sim.SimCounters;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.sim.SimulatedModelServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmarks' uneven fleet: 1, 2 and 4 slots, the 4-slot server half as fast. Where users'
 * fleets are uneven, a scheduler's losses show; one definition keeps the benchmarks comparable.
 */
final class UnevenFleet {

    record Server(String name, int slots, double speed) {
    }

    static final List<Server> SERVERS = List.of(
            new Server("one-slot", 1, 1.0),
            new Server("two-slots", 2, 1.0),
            new Server("four-slow-slots", 4, 0.5));

    private UnevenFleet() {
    }

    /** Slot-speed units: the work the fleet does per unit of time at full use. */
    static double capacity() {
        return SERVERS.stream().mapToDouble(s -> s.slots() * s.speed()).sum();
    }

    /**
     * The service's endpoint settings for the running simulated servers (in {@link #SERVERS}' order),
     * each endpoint also given {@code perEndpoint} (e.g. {@code queue-depth}).
     */
    static Map<String, String> endpoints(List<SimulatedModelServer> running, String model, Map<String, String> perEndpoint) {
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < SERVERS.size(); i++) {
            String prefix = "llm.endpoint." + SERVERS.get(i).name() + ".";
            names.add(SERVERS.get(i).name());
            settings.put(prefix + "api", "ollama");
            settings.put(prefix + "url", running.get(i).baseUri().toString());
            settings.put(prefix + "model", model);
            settings.put(prefix + "slots", Integer.toString(SERVERS.get(i).slots()));
            perEndpoint.forEach((key, value) -> settings.put(prefix + key, value));
        }
        settings.put("llm.endpoints", String.join(",", names));
        return settings;
    }

    /** The fleet's simulated servers, started: replies of {@code replyTokens}, {@code tokenLatencyMs} a token at speed 1. */
    static List<SimulatedModelServer> start(String model, double tokenLatencyMs, int replyTokens) {
        List<SimulatedModelServer> servers = new ArrayList<>();
        for (Server server : SERVERS) {
            servers.add(new SimulatedModelServer(SimSettings.defaults()
                    .withName(server.name())
                    .withSlots(server.slots())
                    .withSpeed(server.speed())
                    .withModels(model)
                    .withReplyTokens(replyTokens)
                    .withContextTokens(16384)
                    .withTokenLatency(Duration.ofNanos((long) (tokenLatencyMs * 1e6)))).start());
        }
        return servers;
    }

    /**
     * How a run used the fleet, as the servers counted it. Efficiency = useful work / (makespan ×
     * capacity), where a call's work is its reply tokens × the per-token latency (its time at speed
     * 1), and the makespan runs from the first call's start to the last call's end.
     *
     * @param held  the most calls each server held at once, in {@link #SERVERS}' order ("1/2/4")
     * @param calls calls the servers completed
     */
    record Use(double efficiency, double makespan, double ideal, String held, long calls) {
    }

    static Use use(List<SimulatedModelServer> servers) {
        double work = 0;
        long calls = 0;
        Instant first = null;
        Instant last = null;
        StringBuilder held = new StringBuilder();
        for (SimulatedModelServer server : servers) {
            SimCounters counters = server.counters();
            work += counters.workSeconds();
            calls += counters.completed();
            if (counters.firstCallStart() != null && (first == null || counters.firstCallStart().isBefore(first))) {
                first = counters.firstCallStart();
            }
            if (counters.lastCallEnd() != null && (last == null || counters.lastCallEnd().isAfter(last))) {
                last = counters.lastCallEnd();
            }
            held.append(held.length() == 0 ? "" : "/").append(counters.maxInside());
        }
        double makespan = Duration.between(first, last).toNanos() / 1e9;
        return new Use(work / (makespan * capacity()), makespan, work / capacity(), held.toString(), calls);
    }
}
