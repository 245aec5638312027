package dev.guidesmith.llm;

/** {@code api=llamacpp}: llama.cpp's llama-server native /completion, with /props and /slots. */
public final class LlamaCppModelApi implements ModelApi {

    @Override
    public String name() {
        return "llamacpp";
    }

    @Override
    public String defaultUrl() {
        return "http://localhost:8080";
    }

    /** llama-server runs one model and answers to any name, so the name may be left out. */
    @Override
    public String defaultModel() {
        return "default";
    }

    @Override
    public boolean mayReportSlots() {
        return true;
    }

    @Override
    public ModelClient client(EndpointSettings endpoint, ClientWiring wiring) {
        return new LlamaCppClient(new HttpTransport(endpoint, wiring));
    }
}
