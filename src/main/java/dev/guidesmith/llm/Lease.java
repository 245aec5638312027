package dev.guidesmith.llm;

/** One slot of one endpoint, held for one call. */
final class Lease {

    final Endpoint endpoint;
    final ModelRequest request;
    final long startNanos;
    /** When the scheduler expects the slot back; used to plan the next assignments. */
    final long expectedEndNanos;

    Lease(Endpoint endpoint, ModelRequest request, long startNanos, long expectedEndNanos) {
        this.endpoint = endpoint;
        this.request = request;
        this.startNanos = startNanos;
        this.expectedEndNanos = expectedEndNanos;
    }
}
