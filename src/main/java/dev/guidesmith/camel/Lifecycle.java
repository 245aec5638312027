package dev.guidesmith.camel;

import org.apache.camel.support.service.ServiceSupport;

/** Ties a plain bean's start and stop to the Camel context's lifecycle. */
final class Lifecycle extends ServiceSupport {

    private final Runnable start;
    private final Runnable stop;

    Lifecycle(Runnable start, Runnable stop) {
        this.start = start;
        this.stop = stop;
    }

    @Override
    protected void doStart() {
        start.run();
    }

    @Override
    protected void doStop() {
        stop.run();
    }
}
