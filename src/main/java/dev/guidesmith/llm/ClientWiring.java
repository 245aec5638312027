package dev.guidesmith.llm;

/**
 * What {@link ModelApi#client} gets besides the endpoint: how long calls may take, and the HTTP the
 * clients of network APIs go through.
 */
public record ClientWiring(CallTimeouts timeouts, ModelHttp http) {
}
