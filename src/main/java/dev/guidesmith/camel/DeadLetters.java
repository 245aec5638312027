package dev.guidesmith.camel;

import dev.guidesmith.jobs.ItemFailure;
import dev.guidesmith.jobs.ItemRef;
import dev.guidesmith.jobs.JobEngine;
import dev.guidesmith.llm.CallAttempts;
import dev.guidesmith.llm.FailureKind;
import dev.guidesmith.llm.ModelCallException;
import dev.guidesmith.support.ServiceStoppingException;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;

/**
 * The dead letter channel's end: turns a failed exchange (an item that failed in a step, or an
 * entry of an input file that is not a usable item) into a failure, which the item's job kind
 * records and the job settles. With several nodes on a broker, an item whose job runs on another
 * node is sent there to be recorded ({@link RelayedFailure}).
 */
public final class DeadLetters {

    private final JobEngine jobs;
    private final Consumer<RelayedFailure> relay;

    /**
     * @param relay sends a failure to the node that runs the item's job (the item-failures queue)
     */
    public DeadLetters(JobEngine jobs, Consumer<RelayedFailure> relay) {
        this.jobs = jobs;
        this.relay = relay;
    }

    public void record(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof RelayedFailure relayed) {
            body = relayed.item(); // it failed again where it was to be recorded
        }
        Throwable error = exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class);
        if (error == null) {
            error = new IllegalStateException("failed without an exception");
        }
        if (interruptedByStop(error)) {
            return; // not a failure: the item's job stays open and is resumed at the next start
        }
        if (!(body instanceof ItemRef item)) {
            throw new IllegalStateException("A failed exchange carries " + body + ", neither an item nor an input entry", error);
        }
        // a failed model call: its attempts and endpoints (this stage's call alone, not the item's history)
        CallAttempts call = error instanceof ModelCallException
                ? exchange.getProperty(FleetLoadBalancer.ATTEMPTS, CallAttempts.class) : null;
        int attempts = call == null ? 1 : Math.max(1, call.count());
        List<String> endpoints = call == null ? List.of() : List.copyOf(call.endpoints());
        String errorClass = error instanceof ModelCallException failed ? failed.kind().name() : error.getClass().getSimpleName();
        ItemFailure failure = new ItemFailure(item.job(), item.position(), null, null, item.stage(), errorClass,
                error.getMessage(), attempts, endpoints, Instant.now().toString());
        if (jobs.settlesHere(item.job())) {
            jobs.failed(item, error, failure);
        } else {
            relay.accept(new RelayedFailure(item, failure, RelayedFailure.Cause.of(error)));
        }
    }

    /** A failure another node sent here, where the item's job runs. */
    public void recordRelayed(RelayedFailure relayed) {
        jobs.arrive(relayed.item(), "failed");
        jobs.failed(relayed.item(), relayed.cause().toException(), relayed.failure());
    }

    private static boolean interruptedByStop(Throwable error) {
        return error instanceof ServiceStoppingException
                || error instanceof ModelCallException call && call.kind() == FailureKind.STOPPING;
    }
}
