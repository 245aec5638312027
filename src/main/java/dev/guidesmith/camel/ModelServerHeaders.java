package dev.guidesmith.camel;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * The headers every request to one model server carries besides its content type: what replies we
 * read, and the endpoint's api-key as a bearer token. Added by the HTTP client itself, so the key is
 * never an exchange header nor part of an endpoint URI, the places Camel may show or log.
 */
final class ModelServerHeaders implements HttpClientConfigurer {

    static final String ACCEPT = "application/x-ndjson, text/event-stream, application/json";

    private final String authorization;

    /** @param apiKey the endpoint's api-key, or null */
    ModelServerHeaders(String apiKey) {
        this.authorization = apiKey == null ? null : "Bearer " + apiKey;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addRequestInterceptorLast((request, entity, context) -> {
            request.setHeader("Accept", ACCEPT);
            if (authorization != null) {
                request.setHeader("Authorization", authorization);
            }
        });
    }

    @Override
    public String toString() {
        return authorization == null ? "ModelServerHeaders" : "ModelServerHeaders(with a bearer token)";
    }
}
