package dev.guidesmith.llm;

import dev.guidesmith.support.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleet as configured: {@code llm.endpoints=a,b,c} and {@code llm.endpoint.<name>.*} for each,
 * plus the knobs of health checks and the circuit breaker.
 *
 * @param failuresToPark  consecutive failures that park an endpoint ({@code llm.breaker.failures})
 * @param probeInterval   how often a parked or unknown endpoint is checked ({@code llm.health.interval-seconds})
 * @param defaultContext  context assumed for an endpoint that neither says nor is configured ({@code llm.default-context})
 */
public record FleetSettings(
        List<EndpointSettings> endpoints,
        CallTimeouts timeouts,
        int failuresToPark,
        Duration probeInterval,
        int defaultContext) {

    public static FleetSettings from(Settings settings) {
        List<String> names = settings.list("llm.endpoints");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("Setting llm.endpoints is empty: name at least one model server, e.g."
                    + " llm.endpoints=local with llm.endpoint.local.api=ollama, .url=http://localhost:11434, .model=...");
        }
        List<EndpointSettings> endpoints = new ArrayList<>();
        for (String name : names) {
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("Endpoint name '" + name + "' in llm.endpoints: use letters, digits, - and _");
            }
            endpoints.add(EndpointSettings.from(settings, name));
        }
        return new FleetSettings(
                endpoints,
                CallTimeouts.from(settings),
                Math.max(1, settings.integer("llm.breaker.failures", 3)),
                settings.seconds("llm.health.interval-seconds", 10),
                settings.integer("llm.default-context", 4096));
    }

    /**
     * The most calls the fleet may ever have under way at once: per endpoint its
     * {@link EndpointSettings#mostSlots()} plus its queue-depth. What the queues' consumers are sized
     * for: they cannot grow while the service runs, and a stage with fewer callers than the servers
     * have slots leaves slots idle (a server left to tell its 6 slots, counted as 1, got 2 calls at once).
     */
    public int mostCallsAtOnce() {
        return endpoints.stream().mapToInt(e -> e.mostSlots() + e.queueDepth()).sum();
    }
}
