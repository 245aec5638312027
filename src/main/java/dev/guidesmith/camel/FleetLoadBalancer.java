package dev.guidesmith.camel;

import dev.guidesmith.llm.CallAttempts;
import dev.guidesmith.llm.FailureKind;
import dev.guidesmith.llm.ModelCallException;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.llm.ModelReply;
import dev.guidesmith.llm.ModelRequest;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.processor.loadbalancer.LoadBalancerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's load-balancer EIP over the model fleet. The endpoints come from properties, not from the
 * route, so this balancer owns them (through {@link ModelFleet}) instead of choosing among child
 * processors. It reads the {@code modelRequest} variable, makes the call on the endpoint expected
 * to finish it soonest, and sets the {@code modelReply} variable. The call's attempts so far ride
 * in the {@code guidesmithModelCall} property, so when the route's error handler redelivers, the
 * balancer sends the call elsewhere; the stage route drops that property (and Camel's redelivery
 * headers) before its call, and the checks route before each repair call, so every call starts
 * afresh.
 */
public final class FleetLoadBalancer extends LoadBalancerSupport {

    public static final String REQUEST = "modelRequest";
    public static final String REPLY = "modelReply";
    /** The {@link CallAttempts} of the stage's call, kept across its redeliveries. */
    public static final String ATTEMPTS = "guidesmithModelCall";

    private static final Logger LOG = LoggerFactory.getLogger(FleetLoadBalancer.class);

    private final ModelFleet fleet;

    public FleetLoadBalancer(ModelFleet fleet) {
        this.fleet = fleet;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        ModelRequest request = exchange.getVariable(REQUEST, ModelRequest.class);
        CallAttempts attempts = exchange.getProperty(ATTEMPTS, CallAttempts.class);
        if (attempts == null) {
            attempts = new CallAttempts();
            exchange.setProperty(ATTEMPTS, attempts);
        }
        try {
            ModelReply reply = fleet.call(request, attempts);
            exchange.setVariable(REPLY, reply);
        } catch (ModelCallException e) {
            if (e.kind() == FailureKind.CANCELLED || e.kind() == FailureKind.STOPPING) {
                LOG.debug("{} / {}: {}", request.subject(), request.stage(), e.getMessage()); // asked for: not news
            } else {
                LOG.warn("{} / {}: attempt {} failed ({}): {}{}", request.subject(), request.stage(), attempts.count(), e.kind(),
                        e.getMessage(), e.isRetryable() ? "" : " — not retried");
            }
            exchange.setException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }
}
