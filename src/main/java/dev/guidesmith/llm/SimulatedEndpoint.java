package dev.guidesmith.llm;

/** Placeholder until the simulated server lands. */
final class SimulatedEndpoint {

    private SimulatedEndpoint() {
    }

    static ModelClient start(EndpointSettings endpoint, CallTimeouts timeouts) {
        throw new UnsupportedOperationException("sim");
    }
}
