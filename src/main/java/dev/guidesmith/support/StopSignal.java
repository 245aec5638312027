package dev.guidesmith.support;

/**
 * Raised once when the service begins to stop (SIGTERM, Ctrl-C): from then on nothing new starts
 * — no new problem enters the pipeline, no new model call begins — while what is under way may
 * finish. Everything left is resumed at the next start.
 */
public final class StopSignal {

    private volatile boolean stopping;

    public void raise() {
        stopping = true;
        synchronized (this) {
            notifyAll();
        }
    }

    public boolean isRaised() {
        return stopping;
    }
}
