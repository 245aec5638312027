package dev.guidesmith.camel;

import dev.guidesmith.llm.ModelCallException;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.llm.ModelReply;
import dev.guidesmith.llm.ModelRequest;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.processor.loadbalancer.LoadBalancerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's load-balancer EIP over the model fleet. The endpoints come from properties, not from the
 * route, so this balancer owns them (through {@link ModelFleet}) instead of choosing among child
 * processors. It reads the {@code modelRequest} variable, makes the call on the endpoint expected
 * to finish it soonest, and sets the {@code modelReply} variable. A failure is set on the exchange
 * with the endpoint remembered, so when the route's error handler redelivers, the balancer sends
 * the call elsewhere.
 */
public final class FleetLoadBalancer extends LoadBalancerSupport {

    public static final String REQUEST = "modelRequest";
    public static final String REPLY = "modelReply";
    /** Endpoints that failed this exchange's call, kept across redeliveries. */
    public static final String TRIED = "guidesmithEndpointsTried";

    private static final Logger LOG = LoggerFactory.getLogger(FleetLoadBalancer.class);

    private final ModelFleet fleet;

    public FleetLoadBalancer(ModelFleet fleet) {
        this.fleet = fleet;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        ModelRequest request = exchange.getVariable(REQUEST, ModelRequest.class);
        @SuppressWarnings("unchecked")
        Set<String> tried = exchange.getProperty(TRIED, Set.class);
        if (tried == null) {
            tried = new LinkedHashSet<>();
            exchange.setProperty(TRIED, tried);
        }
        try {
            ModelReply reply = fleet.call(request, tried);
            exchange.setVariable(REPLY, reply);
        } catch (ModelCallException e) {
            if (e.endpoint() != null) {
                tried.add(e.endpoint());
            }
            int attempt = 1 + exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
            LOG.warn("{} / {}: attempt {} failed ({}): {}{}", request.subject(), request.stage(), attempt, e.kind(),
                    e.getMessage(), e.isRetryable() ? "" : " — not retried");
            exchange.setException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }
}
