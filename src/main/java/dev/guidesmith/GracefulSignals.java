package dev.guidesmith;

import org.apache.camel.main.MainSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and Ctrl-C start Camel's graceful shutdown instead of the JVM's default handling, so the
 * process finishes the calls in flight (up to {@code camel.main.shutdown-timeout}) and exits 0
 * rather than 143.
 */
final class GracefulSignals {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulSignals.class);

    private GracefulSignals() {
    }

    static void stopOnSignal(MainSupport main) {
        stopOnSignal("finishing the calls in flight, then stopping", main::completed);
    }

    /** The same for a process that is not camel-main (the broker role): {@code stop} runs on the signal. */
    static void stopOnSignal(String what, Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                LOG.info("SIG{} received: {}", signal.getName(), what);
                stop.run();
            });
        }
    }
}
