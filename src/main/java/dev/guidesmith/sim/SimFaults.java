package dev.guidesmith.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * Faults the simulated server injects into generation requests (never into {@code /health}, {@code /api/tags}, ...).
 *
 * <p>The four rates are probabilities per generation request, drawn once per request from one uniform number
 * (so they are exclusive and must add up to at most 1): first {@code errorRate}, then {@code busyRate}, then
 * {@code hangRate}, then {@code stallRate}.
 *
 * @param errorRate        answer HTTP 500 with the API's error body at once
 * @param busyRate         answer HTTP 503 "server busy, please try again.  maximum pending requests exceeded" at once
 *                         (Ollama's queue-full answer, in each API's error shape)
 * @param hangRate         accept the request and never send a byte (no status line, no headers) until {@code hangFor}
 *                         passes or the server stops; then drop the connection
 * @param stallRate        start the reply (status 200, headers and about a third of the chunks; for a non-streaming
 *                         request, half of the body), then send nothing more until {@code hangFor} passes or the
 *                         server stops; then drop the connection
 * @param dieAfterCalls    if above 0: the server serves generation requests 1..N normally (no other fault on the Nth),
 *                         stops listening as the Nth arrives (later connects are refused), answers the Nth with
 *                         {@code Connection: close}, then drops every open connection; a request N+1.. that was already
 *                         on an open connection is dropped without a byte. The count restarts at every {@code start()}.
 * @param silentTruncation Ollama only: a prompt over the context is answered 200 as if it had been cut to the context
 *                         (its {@code prompt_eval_count} is the context size), like older Ollama releases
 * @param hangFor          how long a hung or stalled request is held before its connection is dropped
 * @param failFirstTry     answer HTTP 500 the first time each distinct request content (model, prompt, schema)
 *                         arrives, so every call fails exactly once and its retry succeeds
 */
public record SimFaults(
        double errorRate,
        double busyRate,
        double hangRate,
        double stallRate,
        int dieAfterCalls,
        boolean silentTruncation,
        Duration hangFor,
        boolean failFirstTry) {

    private static final SimFaults NONE = new SimFaults(0, 0, 0, 0, 0, false, Duration.ofMinutes(10), false);

    public SimFaults {
        checkRate("errorRate", errorRate);
        checkRate("busyRate", busyRate);
        checkRate("hangRate", hangRate);
        checkRate("stallRate", stallRate);
        if (errorRate + busyRate + hangRate + stallRate > 1.0 + 1e-9) {
            throw new IllegalArgumentException("fault rates add up to more than 1");
        }
        if (dieAfterCalls < 0) {
            throw new IllegalArgumentException("dieAfterCalls must be >= 0 (0 = never)");
        }
        Objects.requireNonNull(hangFor, "hangFor");
        if (hangFor.isNegative()) {
            throw new IllegalArgumentException("hangFor must not be negative");
        }
    }

    /** No faults. */
    public static SimFaults none() {
        return NONE;
    }

    public SimFaults withErrorRate(double rate) {
        return new SimFaults(rate, busyRate, hangRate, stallRate, dieAfterCalls, silentTruncation, hangFor, failFirstTry);
    }

    public SimFaults withBusyRate(double rate) {
        return new SimFaults(errorRate, rate, hangRate, stallRate, dieAfterCalls, silentTruncation, hangFor, failFirstTry);
    }

    public SimFaults withHangRate(double rate) {
        return new SimFaults(errorRate, busyRate, rate, stallRate, dieAfterCalls, silentTruncation, hangFor, failFirstTry);
    }

    public SimFaults withStallRate(double rate) {
        return new SimFaults(errorRate, busyRate, hangRate, rate, dieAfterCalls, silentTruncation, hangFor, failFirstTry);
    }

    public SimFaults withDieAfterCalls(int calls) {
        return new SimFaults(errorRate, busyRate, hangRate, stallRate, calls, silentTruncation, hangFor, failFirstTry);
    }

    public SimFaults withSilentTruncation(boolean on) {
        return new SimFaults(errorRate, busyRate, hangRate, stallRate, dieAfterCalls, on, hangFor, failFirstTry);
    }

    public SimFaults withHangFor(Duration duration) {
        return new SimFaults(errorRate, busyRate, hangRate, stallRate, dieAfterCalls, silentTruncation, duration, failFirstTry);
    }

    public SimFaults withFailFirstTry(boolean on) {
        return new SimFaults(errorRate, busyRate, hangRate, stallRate, dieAfterCalls, silentTruncation, hangFor, on);
    }

    /** Which rate-driven fault a uniform draw {@code u} in [0,1) selects, or null for none. */
    Outcome pick(double u) {
        double edge = errorRate;
        if (u < edge) {
            return Outcome.ERROR;
        }
        edge += busyRate;
        if (u < edge) {
            return Outcome.BUSY;
        }
        edge += hangRate;
        if (u < edge) {
            return Outcome.HANG;
        }
        edge += stallRate;
        if (u < edge) {
            return Outcome.STALL;
        }
        return null;
    }

    private static void checkRate(String name, double rate) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException(name + " must be within [0, 1]: " + rate);
        }
    }
}
