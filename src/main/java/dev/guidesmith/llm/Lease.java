package dev.guidesmith.llm;

/**
 * One call on one endpoint: a slot of it, or a place in its server's own queue (queue-depth) until
 * a slot there frees. The mutable fields change only under the scheduler's lock.
 */
final class Lease {

    final Endpoint endpoint;
    final ModelRequest request;
    /** When the call was sent. */
    final long startNanos;
    /** When the scheduler expects the slot back; used to plan the next assignments. */
    final long expectedEndNanos;
    /** Waiting in the server's queue: sent while all its slots were busy, no slot there yet. */
    boolean queued;
    /** When it got a slot at the server (its service time runs from here). */
    long slotNanos;
    /**
     * When the call before it on this slot ended its reply and handed the slot back, if this call
     * took the slot straight away (calls were waiting); 0 otherwise. For {@link SlotTurnaround}.
     */
    long previousReplyEndNanos;
    long previousReleaseNanos;
    /** Its place at the server as claimed among the nodes ({@link SharedSlots}), or {@link #UNCLAIMED}. */
    long claim = UNCLAIMED;

    static final long UNCLAIMED = -1;

    Lease(Endpoint endpoint, ModelRequest request, long startNanos, long expectedEndNanos, boolean queued) {
        this.endpoint = endpoint;
        this.request = request;
        this.startNanos = startNanos;
        this.expectedEndNanos = expectedEndNanos;
        this.queued = queued;
        this.slotNanos = startNanos;
    }
}
