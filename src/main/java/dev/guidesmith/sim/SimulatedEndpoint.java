package dev.guidesmith.sim;

import dev.guidesmith.llm.ChatCall;
import dev.guidesmith.llm.ClientWiring;
import dev.guidesmith.llm.EndpointProbe;
import dev.guidesmith.llm.EndpointSettings;
import dev.guidesmith.llm.ModelApi;
import dev.guidesmith.llm.ModelCallException;
import dev.guidesmith.llm.ModelClient;
import dev.guidesmith.llm.ModelReply;
import dev.guidesmith.llm.OllamaModelApi;

/**
 * {@code api=sim}: starts the built-in simulated model server on a free loopback port and talks to
 * it over HTTP with the Ollama client, so the demo and the benchmarks exercise the real path. Its
 * replies are marked simulated, and so are the guides made from them.
 */
final class SimulatedEndpoint implements ModelClient {

    private final SimulatedModelServer server;
    private final ModelClient client;

    private SimulatedEndpoint(SimulatedModelServer server, ModelClient client) {
        this.server = server;
        this.client = client;
    }

    static ModelClient start(EndpointSettings endpoint, SimSettings simulation, ClientWiring wiring) {
        SimulatedModelServer server = new SimulatedModelServer(simulation).start();
        ModelApi ollama = new OllamaModelApi();
        EndpointSettings wired = endpoint.withApi(ollama, server.baseUri());
        return new SimulatedEndpoint(server, ollama.client(wired, wiring));
    }

    @Override
    public ModelReply call(ChatCall call) throws ModelCallException {
        return client.call(call).markedSimulated();
    }

    @Override
    public EndpointProbe probe() {
        return client.probe();
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
