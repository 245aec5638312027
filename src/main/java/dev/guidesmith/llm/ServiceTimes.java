package dev.guidesmith.llm;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Learns how long a call takes, to predict which endpoint will finish a call soonest. A call's
 * time is modelled as {@code slowness(endpoint) × work(stage)}: each finished call refines both
 * factors (exponentially weighted, so the estimates follow a server that slows down or recovers).
 * Before any measurement an endpoint's slowness is 1 / its configured weight.
 * Not thread-safe: the scheduler calls it under its lock.
 */
final class ServiceTimes {

    static final double SMOOTHING = 0.2;
    /** A first guess for a stage never measured: this long per token of room it asks for. */
    static final double PRIOR_SECONDS_PER_TOKEN = 0.02;

    private final Map<String, Double> slowness = new HashMap<>();
    private final Map<String, Double> work = new HashMap<>();
    private final Set<String> measuredEndpoints = new HashSet<>();

    double expectedSeconds(Endpoint endpoint, ModelRequest request) {
        return slownessOf(endpoint) * workOf(request);
    }

    void observe(Endpoint endpoint, ModelRequest request, double seconds) {
        double measured = Math.max(seconds, 1e-4);
        String stage = request.stage();
        double k = slownessOf(endpoint);
        if (!work.containsKey(stage)) {
            work.put(stage, measured / k);
            measuredEndpoints.add(endpoint.name());
            return;
        }
        double w = work.get(stage);
        // an endpoint's first measurement replaces the prior outright; later ones are smoothed
        slowness.put(endpoint.name(), measuredEndpoints.add(endpoint.name()) ? measured / w : smooth(k, measured / w));
        work.put(stage, smooth(w, measured / slownessOf(endpoint)));
    }

    private double slownessOf(Endpoint endpoint) {
        return slowness.computeIfAbsent(endpoint.name(), n -> 1.0 / endpoint.settings().weight());
    }

    private double workOf(ModelRequest request) {
        Double known = work.get(request.stage());
        return known != null ? known : request.maxTokens() * PRIOR_SECONDS_PER_TOKEN;
    }

    private static double smooth(double previous, double sample) {
        return previous + SMOOTHING * (sample - previous);
    }
}
