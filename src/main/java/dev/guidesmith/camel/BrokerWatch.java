package dev.guidesmith.camel;

import org.apache.activemq.artemis.api.core.client.FailoverEventListener;
import org.apache.activemq.artemis.api.core.client.FailoverEventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the node's connection to its broker: tells the user, once each, that the node lost its
 * broker and that it has it back, and knows meanwhile that the broker is away. In between the
 * client keeps reconnecting on its own: nothing new is taken or sent, the calls under way finish
 * and their results are kept in the stage cache.
 */
final class BrokerWatch implements FailoverEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerWatch.class);

    private final String url;
    private final BrokerRetry retry;
    private volatile boolean away;

    BrokerWatch(String url, BrokerRetry retry) {
        this.url = url;
        this.retry = retry;
    }

    /** The broker was lost and is not back yet. */
    boolean away() {
        return away;
    }

    String url() {
        return url;
    }

    @Override
    public void failoverEvent(FailoverEventType event) {
        away = event == FailoverEventType.FAILURE_DETECTED;
        switch (event) {
            case FAILURE_DETECTED -> LOG.warn("Lost the message broker at {} ({}): no new work starts until it is back;"
                    + " calls under way finish and their results are kept. Trying it again every {} to {} ms until it"
                    + " answers ({}, {})", url, BrokerQueues.URL_KEY, retry.interval().toMillis(),
                    retry.maxInterval().toMillis(), BrokerRetry.INTERVAL_KEY, BrokerRetry.MAX_INTERVAL_KEY);
            case FAILOVER_COMPLETED -> LOG.info("The message broker at {} is back: work goes on (the items under way"
                    + " when it was lost are delivered again; finished stages come from the stage cache)", url);
            // only when the node stops while the broker is away, or the URL limits reconnectAttempts
            case FAILOVER_FAILED -> LOG.warn("Stopped reconnecting to the message broker at {} (the node is stopping,"
                    + " or reconnectAttempts in {} ran out; then the stage consumers try again every {} ms)", url,
                    BrokerQueues.URL_KEY, retry.interval().toMillis());
        }
    }
}
