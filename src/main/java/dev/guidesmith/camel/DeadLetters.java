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
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;

/**
 * The dead letter channel's end: turns a failed exchange (an item that failed in a step, or an
 * entry of an input file that is not a usable item) into a failure, which the item's job kind
 * records and the job settles.
 */
public final class DeadLetters {

    private final JobEngine jobs;

    public DeadLetters(JobEngine jobs) {
        this.jobs = jobs;
    }

    public void record(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
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
        jobs.failed(item, error, new ItemFailure(item.job(), item.position(), null, null, item.stage(), errorClass,
                error.getMessage(), attempts, endpoints, Instant.now().toString()));
    }

    private static boolean interruptedByStop(Throwable error) {
        return error instanceof ServiceStoppingException
                || error instanceof ModelCallException call && call.kind() == FailureKind.STOPPING;
    }
}
