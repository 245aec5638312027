package dev.guidesmith.llm;

/**
 * {@code api=openai}: OpenAI-compatible /v1/chat/completions (vLLM, llama-server, LM Studio,
 * Ollama's /v1, hosted services).
 */
public final class OpenAiModelApi implements ModelApi {

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public String defaultUrl() {
        return "http://localhost:8080";
    }

    /** llama-server does, behind its OpenAI-compatible API too; vLLM does not. */
    @Override
    public boolean mayReportSlots() {
        return true;
    }

    @Override
    public ModelClient client(EndpointSettings endpoint, ClientWiring wiring) {
        return new OpenAiClient(new HttpTransport(endpoint, wiring));
    }
}
