package dev.guidesmith.llm;

/**
 * What a health check learned about an endpoint.
 *
 * @param failure  null when healthy, else why not (UNREACHABLE, MODEL_NOT_FOUND, ...)
 * @param message  a sentence for the log: what is wrong and what to do
 * @param context  context tokens per slot the server reports, 0 when it does not say
 * @param slots    parallel slots the server reports, 0 when it does not say
 * @param served   the model the server runs when it is not the configured name (a llama.cpp server
 *                 answers to any name with its one model), else null
 */
public record EndpointProbe(FailureKind failure, String message, int context, int slots, String served) {

    public static EndpointProbe healthy(String message, int context, int slots) {
        return new EndpointProbe(null, message, context, slots, null);
    }

    public static EndpointProbe failed(FailureKind failure, String message) {
        return new EndpointProbe(failure, message, 0, 0, null);
    }

    /** Healthy, serving the configured name with another model (its own name for it). */
    public EndpointProbe servedAs(String model) {
        return new EndpointProbe(failure, message, context, slots, model);
    }

    public boolean isHealthy() {
        return failure == null;
    }
}
