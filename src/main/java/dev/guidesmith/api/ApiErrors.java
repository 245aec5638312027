package dev.guidesmith.api;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a {@code /v1} route threw into OpenAI's error reply (the {@code openai-api} route
 * configuration calls it): an {@link ApiException} as it says; anything else is the service's own
 * fault, logged here (method and path only, never the request's headers) and answered 500.
 */
public final class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    public void reply(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ApiException refusal;
        if (caught instanceof ApiException api) {
            refusal = api;
        } else {
            LOG.error("{} {} failed: {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), caught, caught);
            refusal = new ApiException(500, "server_error", "The service failed on this request (" + caught
                    + "). Its log says more; try again, and report it if it keeps failing.", null, null);
        }
        ApiReplies.json(exchange, refusal.status(), refusal.body());
    }
}
