package dev.guidesmith.status;

import dev.guidesmith.llm.Endpoint;
import dev.guidesmith.llm.ModelFleet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's heartbeat in the shared store, renewed by a timer ({@code routes/nodes.camel.yaml}):
 * its role and its calls in flight per endpoint, so every node's status lists the cluster's nodes
 * and shows one that stops beating as lost. A store that cannot be reached is said once (other
 * nodes will show this one lost), not at every beat; the work goes on.
 */
public final class NodeHeartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);

    private final ClusterRecords records;
    private final Supplier<RunStatus.Node> node;
    private final ModelFleet fleet;
    private boolean started;
    private boolean failing;

    public NodeHeartbeat(ClusterRecords records, Supplier<RunStatus.Node> node, ModelFleet fleet) {
        this.records = records;
        this.node = node;
        this.fleet = fleet;
    }

    public synchronized void beat() {
        RunStatus.Node self = node.get();
        Map<String, ClusterRecords.Calls> calls = new LinkedHashMap<>();
        for (Endpoint endpoint : fleet.endpoints()) {
            calls.put(endpoint.name(), new ClusterRecords.Calls(endpoint.inFlight(), endpoint.slots()));
        }
        try {
            records.beat(new ClusterRecords.NodeBeat(self.id(), self.role(), calls), !started);
            started = true;
            if (failing) {
                LOG.info("Node {} renews its heartbeat in the shared store again", self.id());
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("Node {} cannot renew its heartbeat, so the other nodes will show it lost: {}", self.id(),
                        e.getMessage());
                failing = true;
            }
        }
    }

    /** On a graceful stop: the other nodes show this one stopped, not lost. */
    public synchronized void leave() {
        String id = node.get().id();
        try {
            records.left(id);
        } catch (RuntimeException e) {
            LOG.warn("Node {} stops without saying so in the shared store (the other nodes will show it lost): {}", id,
                    e.getMessage());
        }
    }
}
