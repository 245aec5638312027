package dev.guidesmith.jobs;

import dev.guidesmith.support.ServiceStoppingException;
import dev.guidesmith.support.StopSignal;

/**
 * Bounds how many problems are in the pipeline at once. A job's split waits here while the window
 * is full, so a 100,000-problem file enters at the pace the fleet finishes problems and memory
 * stays bounded; stopping the service releases the wait at once.
 */
public final class InFlightLimit {

    private final int limit;
    private final StopSignal stop;
    private int inFlight;

    public InFlightLimit(int limit, StopSignal stop) {
        if (limit < 1) {
            throw new IllegalArgumentException("pipeline.max-in-flight must be at least 1, not " + limit);
        }
        this.limit = limit;
        this.stop = stop;
    }

    /** Waits for room; fails when the service is stopping. */
    public void enter() throws InterruptedException {
        synchronized (this) {
            while (inFlight >= limit && !stop.isRaised()) {
                wait(200); // a stop is noticed within this long even without a notify here
            }
            if (stop.isRaised()) {
                throw new ServiceStoppingException("A problem");
            }
            inFlight++;
        }
    }

    public synchronized void leave() {
        inFlight--;
        notifyAll();
    }

    public synchronized int inFlight() {
        return inFlight;
    }
}
