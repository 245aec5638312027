package dev.guidesmith.llm;

/** Builds the client for an endpoint's API: the only place that maps {@link ApiKind} to code. */
final class ModelClients {

    private ModelClients() {
    }

    static ModelClient create(EndpointSettings endpoint, CallTimeouts timeouts) {
        return switch (endpoint.api()) {
            case OLLAMA -> new OllamaClient(new HttpTransport(endpoint, timeouts), false);
            case SIM -> SimulatedEndpoint.start(endpoint, timeouts);
            case OPENAI, LLAMACPP, EMBEDDED -> throw new IllegalArgumentException("llm.endpoint." + endpoint.name()
                    + ".api=" + endpoint.api().label() + " is not supported yet: use ollama or sim");
        };
    }
}
