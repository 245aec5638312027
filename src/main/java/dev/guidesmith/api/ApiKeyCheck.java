package dev.guidesmith.api;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The API key ({@code pipeline.http.api-key}): a request must send {@code Authorization: Bearer <key>},
 * or it is answered 401 in OpenAI's shape. It runs in the HTTP server in front of every {@code /v1}
 * route, before the request's body is read, so a client without the key cannot make the server
 * write an upload to disk. The key is compared in constant time and never logged or echoed.
 */
public final class ApiKeyCheck implements AuthenticationHandler {

    public static final String SETTING = "pipeline.http.api-key";
    private static final String BEARER = "bearer ";

    private final byte[] key;

    public ApiKeyCheck(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("An API key cannot be empty: leave " + SETTING + " unset for no key");
        }
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(RoutingContext context) {
        String authorization = context.request().getHeader("Authorization");
        if (authorization == null || authorization.isBlank()) {
            refuse(context, "You didn't provide an API key. This service requires the key set in its " + SETTING
                    + " setting, sent as Authorization: Bearer <key> (the official clients send their api_key that way).");
        } else if (!accepts(authorization)) {
            refuse(context, "Incorrect API key provided. Send the key set in this service's " + SETTING
                    + " setting, as Authorization: Bearer <key>.");
        } else {
            context.next();
        }
    }

    private boolean accepts(String authorization) {
        String value = authorization.trim();
        if (value.length() < BEARER.length() || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] sent = value.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(sent, key);
    }

    private static void refuse(RoutingContext context, String message) {
        ApiException refusal = new ApiException(401, ApiException.INVALID_REQUEST, message, null, "invalid_api_key");
        context.response()
                .setStatusCode(refusal.status())
                .putHeader("Content-Type", "application/json")
                .end(refusal.json());
    }
}
