package dev.guidesmith.status;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The cluster's figures in {@code /metrics} (with a shared store only), from the same cached
 * reading as {@code /status}: every node answers the same values, so take them from one node (or
 * {@code max} over nodes), never sum them.
 */
public final class ClusterMetrics {

    private ClusterMetrics() {
    }

    public static void bind(MeterRegistry registry, ClusterView cluster) {
        gauge(registry, "guidesmith.cluster.nodes.up", "nodes sharing the store whose heartbeat is fresh", cluster,
                RunStatus.Cluster::nodesUp);
        gauge(registry, "guidesmith.cluster.nodes.lost", "nodes not heard from that did not stop on purpose", cluster,
                RunStatus.Cluster::nodesLost);
        gauge(registry, "guidesmith.cluster.problems.accepted", "items in the cluster's recent jobs, all nodes", cluster,
                RunStatus.Cluster::total);
        gauge(registry, "guidesmith.cluster.problems.done", "items of those jobs done (newly or found done)", cluster,
                RunStatus.Cluster::done);
        gauge(registry, "guidesmith.cluster.problems.failed", "items of those jobs failed", cluster,
                RunStatus.Cluster::failed);
        gauge(registry, "guidesmith.cluster.problems.remaining", "items of those jobs neither done nor failed", cluster,
                RunStatus.Cluster::remaining);
        gauge(registry, "guidesmith.cluster.problems.per.minute", "items the cluster settles per minute (recent)", cluster,
                RunStatus.Cluster::perMinute);
        gauge(registry, "guidesmith.cluster.eta.seconds", "time for the cluster to settle the rest (NaN while unknown)",
                cluster, c -> c.etaSeconds() == null ? Double.NaN : c.etaSeconds());
    }

    private static void gauge(MeterRegistry registry, String name, String help, ClusterView cluster,
                              ToDoubleFunction<RunStatus.Cluster> value) {
        Gauge.builder(name, cluster, view -> value.applyAsDouble(view.current())).description(help).strongReference(true)
                .register(registry);
    }
}
