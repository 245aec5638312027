package dev.guidesmith.llm;

import java.util.Locale;

/** The wire protocols the client speaks, by the names {@code llm.endpoint.<name>.api} uses. */
public enum ApiKind {
    /** Ollama's native /api/chat. */
    OLLAMA,
    /** OpenAI-compatible /v1/chat/completions: vLLM, llama-server, LM Studio, Ollama's /v1, hosted services. */
    OPENAI,
    /** llama.cpp's llama-server native /completion, with /props and /slots. */
    LLAMACPP,
    /** A GGUF model loaded in-process. */
    EMBEDDED,
    /** The built-in simulated server (demo, tests, benchmarks), spoken to over Ollama's API. */
    SIM;

    public static ApiKind parse(String endpoint, String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("llm.endpoint." + endpoint + ".api=" + value
                    + " is not a known API: use ollama, openai, llamacpp, embedded or sim");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
