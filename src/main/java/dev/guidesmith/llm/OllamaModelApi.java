package dev.guidesmith.llm;

/** {@code api=ollama}: Ollama's native /api/chat. */
public final class OllamaModelApi implements ModelApi {

    public static final String NAME = "ollama";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultUrl() {
        return "http://localhost:11434";
    }

    @Override
    public ModelClient client(EndpointSettings endpoint, ClientWiring wiring) {
        return new OllamaClient(new HttpTransport(endpoint, wiring));
    }
}
