package dev.guidesmith.llm;

import java.net.URI;
import java.time.Duration;

/**
 * The HTTP library the API clients go through, kept behind this seam so that this package needs
 * no particular one (the service's is Camel's http component). It only moves bytes: what a status
 * or a timeout means is {@link HttpTransport}'s.
 */
public interface ModelHttp {

    /**
     * HTTP to one model server, made once per endpoint.
     *
     * @param base    the server's address; request paths are appended to it
     * @param apiKey  sent as {@code Authorization: Bearer} with every request, or null; never logged
     * @param connect the most establishing a connection may take
     */
    ServerHttp server(URI base, String apiKey, Duration connect);
}
