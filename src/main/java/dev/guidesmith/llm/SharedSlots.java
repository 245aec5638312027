package dev.guidesmith.llm;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The calls several nodes have at once on the model servers they share, so that a server's slots
 * cap hold over all of them. A server is named by its {@link #serverKey key} (its URL and model:
 * two nodes may give one server different endpoint names). One node alone uses {@link #NONE},
 * which claims nothing and costs nothing.
 *
 * <p>The scheduler reads {@link #heldElsewhere()} while it plans (a snapshot, no I/O: it runs
 * under the scheduler's lock), then claims a place before the call starts, outside its lock. A
 * refused claim means the server is full on other nodes: the call waits for the next plan.
 */
public interface SharedSlots {

    /** One node: nothing is shared, every claim is granted at once. */
    SharedSlots NONE = new SharedSlots() {
        @Override
        public OptionalLong claim(String server, int cap, Duration expected) {
            return OptionalLong.of(0);
        }

        @Override
        public void release(long claim) {
        }

        @Override
        public Map<String, long[]> heldElsewhere() {
            return Map.of();
        }

        @Override
        public boolean reachable() {
            return true;
        }

        @Override
        public void onChange(Runnable listener) {
        }
    };

    /**
     * Takes one of a server's places (its slots plus its queue-depth) if fewer than {@code cap} are
     * held over all nodes.
     *
     * @param expected how long the call is expected to take: other nodes plan around it
     * @return the claim, to give back with {@link #release}; empty when the server is full
     */
    OptionalLong claim(String server, int cap, Duration expected);

    /** The call on this claim is over: its place is free for any node. */
    void release(long claim);

    /**
     * The calls other nodes hold now, per server key: when each is expected to end, in this JVM's
     * {@link System#nanoTime()}. A snapshot, kept fresh in the background; never blocks.
     */
    Map<String, long[]> heldElsewhere();

    /** Whether claims can be made now; when not (the database is lost), no call starts until it is back. */
    boolean reachable();

    /** {@code listener} runs when what other nodes hold changes (a place was freed elsewhere): time to plan again. */
    void onChange(Runnable listener);

    /**
     * The key a server is shared under, or null for an in-process engine (each node has its own).
     * Ollama runs its parallel calls per model, so the model is part of the key.
     */
    static String serverKey(EndpointSettings endpoint) {
        if (endpoint.api().defaultUrl().isEmpty() || endpoint.url() == null || endpoint.url().toString().isEmpty()) {
            return null;
        }
        return endpoint.url() + " " + endpoint.model();
    }
}
