package dev.guidesmith.jobs;

import dev.guidesmith.support.ServiceStoppingException;
import dev.guidesmith.support.StopSignal;

/**
 * Bounds how many items are in the pipeline at once. A job's split waits here while the window is
 * full, so a 100,000-item file enters at the pace the fleet settles items and memory stays
 * bounded; stopping the service releases the wait at once. Room is taken when an item is admitted
 * and given back when it settles: both are item-state transitions, not the end of a message.
 *
 * <p>Camel's throttle EIP in concurrent-requests mode does the same, but it forgets its permits
 * after 10 s without a release, which with model calls of minutes would let the window grow
 * without bound.
 */
public final class AdmissionWindow {

    private final int limit;
    private final StopSignal stop;
    private int inFlight;

    public AdmissionWindow(int limit, StopSignal stop) {
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
                throw new ServiceStoppingException("An item");
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
