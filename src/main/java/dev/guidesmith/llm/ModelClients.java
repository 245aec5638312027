package dev.guidesmith.llm;

/** Builds the client for an endpoint's API: the only place that maps {@link ApiKind} to code. */
final class ModelClients {

    private ModelClients() {
    }

    static ModelClient create(EndpointSettings endpoint, CallTimeouts timeouts) {
        return switch (endpoint.api()) {
            case OLLAMA -> new OllamaClient(new HttpTransport(endpoint, timeouts), false);
            case OPENAI -> new OpenAiClient(new HttpTransport(endpoint, timeouts));
            case LLAMACPP -> new LlamaCppClient(new HttpTransport(endpoint, timeouts));
            case SIM -> SimulatedEndpoint.start(endpoint, timeouts);
            case EMBEDDED -> new EmbeddedClient(endpoint, timeouts);
        };
    }
}
