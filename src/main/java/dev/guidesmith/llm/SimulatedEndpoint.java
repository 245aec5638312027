package dev.guidesmith.llm;

import dev.guidesmith.sim.SimulatedModelServer;

/**
 * {@code api=sim}: starts the built-in simulated model server on a free loopback port and talks to
 * it over HTTP with the Ollama client, so the demo and the benchmarks exercise the real path. Its
 * replies are marked simulated, and so are the guides made from them.
 */
final class SimulatedEndpoint implements ModelClient {

    private final SimulatedModelServer server;
    private final OllamaClient client;

    private SimulatedEndpoint(SimulatedModelServer server, OllamaClient client) {
        this.server = server;
        this.client = client;
    }

    static ModelClient start(EndpointSettings endpoint, CallTimeouts timeouts) {
        SimulatedModelServer server = new SimulatedModelServer(endpoint.simulation()).start();
        EndpointSettings wired = endpoint.withUrl(server.baseUri());
        return new SimulatedEndpoint(server, new OllamaClient(new HttpTransport(wired, timeouts), true));
    }

    @Override
    public ModelReply call(ChatCall call) throws ModelCallException {
        return client.call(call);
    }

    @Override
    public EndpointProbe probe() {
        return client.probe();
    }

    @Override
    public void close() {
        server.close();
    }
}
