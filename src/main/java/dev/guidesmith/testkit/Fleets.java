package dev.guidesmith.testkit;

import java.util.LinkedHashMap;
import java.util.Map;

/** Fleet settings for services under test or benchmark. */
public final class Fleets {

    /** The model {@link #instantSim} serves. */
    public static final String INSTANT_MODEL = "sim-instant";

    private Fleets() {
    }

    /**
     * One built-in simulated server ({@code api=sim}) that answers at once with short replies: the
     * model costs nothing, so what is measured is the service itself.
     */
    public static Map<String, String> instantSim(int slots) {
        Map<String, String> fleet = new LinkedHashMap<>();
        fleet.put("llm.endpoints", "instant");
        fleet.put("llm.endpoint.instant.api", "sim");
        fleet.put("llm.endpoint.instant.model", INSTANT_MODEL);
        fleet.put("llm.endpoint.instant.slots", Integer.toString(slots));
        fleet.put("llm.endpoint.instant.sim.token-latency-ms", "0");
        fleet.put("llm.endpoint.instant.sim.reply-tokens", "80");
        return fleet;
    }
}
