package dev.guidesmith.bench;

import dev.guidesmith.sim.SimulatedModelServer;
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
}
