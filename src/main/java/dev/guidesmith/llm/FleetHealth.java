package dev.guidesmith.llm;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health checks and parking. Every endpoint is probed at start; one that is down, hung or
 * misconfigured is parked, reported once with what to do, and probed again every interval; when a
 * probe succeeds it rejoins the fleet. An endpoint down at start thus joins when it comes up.
 */
final class FleetHealth {

    private static final Logger LOG = LoggerFactory.getLogger(FleetHealth.class);

    private final List<Endpoint> endpoints;
    private final FleetScheduler scheduler;
    private final Duration interval;
    private final ScheduledExecutorService ticker;
    private final ExecutorService probes;

    FleetHealth(List<Endpoint> endpoints, FleetScheduler scheduler, Duration interval) {
        this.endpoints = endpoints;
        this.scheduler = scheduler;
        this.interval = interval;
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("fleet-health"));
        this.probes = Executors.newFixedThreadPool(Math.min(8, endpoints.size()), daemon("fleet-probe"));
    }

    void start() {
        long period = Math.max(100, Math.min(1000, interval.toMillis()));
        ticker.scheduleWithFixedDelay(this::probeDue, 0, period, TimeUnit.MILLISECONDS);
    }

    void stop() {
        ticker.shutdownNow();
        probes.shutdownNow();
    }

    /** Called under the scheduler's lock. */
    void park(Endpoint endpoint, String reason) {
        endpoint.setState(EndpointState.PARKED, reason);
        endpoint.nextProbeNanos = System.nanoTime() + interval.toNanos();
        LOG.warn("Parking endpoint {} — {} (no new calls until a health check passes; checked every {} s)",
                endpoint.name(), reason, interval.toSeconds());
    }

    /** Called under the scheduler's lock. */
    void misconfigured(Endpoint endpoint, String reason) {
        if (endpoint.state != EndpointState.MISCONFIGURED) {
            LOG.error("Endpoint {} is misconfigured and gets no calls until fixed: {}", endpoint.name(), reason);
        }
        endpoint.setState(EndpointState.MISCONFIGURED, reason);
        endpoint.nextProbeNanos = System.nanoTime() + interval.toNanos();
    }

    private void probeDue() {
        long now = System.nanoTime();
        for (Endpoint endpoint : endpoints) {
            boolean due;
            synchronized (endpoint) {
                due = endpoint.state != EndpointState.HEALTHY && now >= endpoint.nextProbeNanos && !endpoint.probing;
                if (due) {
                    endpoint.probing = true;
                }
            }
            if (due) {
                probes.execute(() -> probe(endpoint));
            }
        }
    }

    private void probe(Endpoint endpoint) {
        try {
            EndpointProbe result = endpoint.client().probe();
            scheduler.update(() -> apply(endpoint, result));
        } catch (RuntimeException e) {
            LOG.warn("Health check of {} failed unexpectedly: {}", endpoint.name(), e.toString());
        } finally {
            synchronized (endpoint) {
                endpoint.probing = false;
            }
        }
    }

    /** Called under the scheduler's lock. */
    private void apply(Endpoint endpoint, EndpointProbe result) {
        EndpointState before = endpoint.state;
        if (result.isHealthy()) {
            endpoint.learnContext(result.context());
            String slotWarning = endpoint.learnSlots(result.slots());
            if (slotWarning != null && before != EndpointState.HEALTHY) {
                LOG.warn("Endpoint {}: {}", endpoint.name(), slotWarning);
            }
            endpoint.consecutiveFailures = 0;
            endpoint.setState(EndpointState.HEALTHY, result.message());
            if (before == EndpointState.UNKNOWN) {
                LOG.info("Endpoint {} ready: {}, {} slot(s){}{}{}", endpoint.name(), endpoint.settings(), endpoint.slots(),
                        endpoint.autoSlots() ? " for a start (slots=auto: measuring, up to " + endpoint.maxSlots() + ")" : "",
                        endpoint.context() > 0 ? ", context " + endpoint.context() + " tokens per slot" : "",
                        result.served() == null ? "" : "; the server runs " + result.served() + " and answers to '"
                                + endpoint.settings().model() + "' with it");
            } else {
                LOG.info("Endpoint {} is back ({}); it takes calls again", endpoint.name(), result.message());
            }
            return;
        }
        endpoint.nextProbeNanos = System.nanoTime() + interval.toNanos();
        boolean misconfigured = result.failure() == FailureKind.MODEL_NOT_FOUND || result.failure() == FailureKind.UNAUTHORIZED
                || result.failure() == FailureKind.BAD_REQUEST;
        EndpointState now = misconfigured ? EndpointState.MISCONFIGURED : EndpointState.PARKED;
        boolean news = before != now || !result.message().equals(endpoint.stateReason());
        endpoint.setState(now, result.message());
        if (news && misconfigured) {
            LOG.error("Endpoint {} is misconfigured — {} (the others carry on; it is checked again every {} s)",
                    endpoint.name(), result.message(), interval.toSeconds());
        } else if (news) {
            LOG.warn("Endpoint {} is not available — {} (the others carry on; it is checked again every {} s)",
                    endpoint.name(), result.message(), interval.toSeconds());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
