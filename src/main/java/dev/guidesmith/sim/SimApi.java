package dev.guidesmith.sim;

/** The wire dialects the simulated server speaks. One server answers all three at once. */
public enum SimApi {
    /** Ollama's native API: {@code /api/chat}, {@code /api/generate}, NDJSON streaming. */
    OLLAMA,
    /** OpenAI-compatible chat completions ({@code /v1/chat/completions}), as vLLM, llama-server and Ollama's {@code /v1} serve it. */
    OPENAI,
    /** llama.cpp's llama-server native API: {@code /completion}, {@code /health}, {@code /props}, {@code /slots}. */
    LLAMA_CPP
}
