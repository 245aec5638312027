package dev.guidesmith.camel;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the node stops while its broker is away, closes the broker connection at once instead of
 * last: its consumers would otherwise wait for the broker to come back, and the stop with them.
 * Nothing is lost by it: whatever the node had taken is still on the broker, uncommitted, and is
 * delivered again; the calls under way still finish, and their results are in the stage cache.
 */
final class LetGoOfALostBroker extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(LetGoOfALostBroker.class);

    private final BrokerWatch watch;
    private final Runnable closeConnection;

    LetGoOfALostBroker(BrokerWatch watch, Runnable closeConnection) {
        this.watch = watch;
        this.closeConnection = closeConnection;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (watch.away()) {
            LOG.info("Stopping while the message broker at {} is away: its connection is closed now; what this node"
                    + " had taken stays on the broker and is delivered again", watch.url());
            closeConnection.run();
        }
    }
}
