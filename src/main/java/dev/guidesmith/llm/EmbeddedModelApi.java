package dev.guidesmith.llm;

/** {@code api=embedded}: a GGUF model loaded in-process; {@code model} is its file. */
public final class EmbeddedModelApi implements ModelApi {

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public String defaultUrl() {
        return "";
    }

    @Override
    public ModelClient client(EndpointSettings endpoint, ClientWiring wiring) {
        return new EmbeddedClient(endpoint, wiring.timeouts());
    }
}
