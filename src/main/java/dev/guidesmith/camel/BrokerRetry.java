package dev.guidesmith.camel;

import dev.guidesmith.support.Settings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a node waits for a broker it lost: it tries again after {@code interval}, then after twice as
 * long each time, up to {@code maxInterval}, for as long as the broker is away. The Artemis client
 * reconnects on this schedule, the stage consumers recover on it, and a send that failed (the job's
 * split) is tried again on it (routes/errors.camel.yaml).
 *
 * @param interval    the first wait ({@value #INTERVAL_KEY})
 * @param maxInterval the longest wait ({@value #MAX_INTERVAL_KEY})
 */
record BrokerRetry(Duration interval, Duration maxInterval) {

    static final String INTERVAL_KEY = "pipeline.broker.retry-interval-ms";
    static final String MAX_INTERVAL_KEY = "pipeline.broker.max-retry-interval-ms";

    static BrokerRetry from(Settings settings) {
        long interval = settings.integer(INTERVAL_KEY, 1000);
        long max = settings.integer(MAX_INTERVAL_KEY, 10000);
        if (interval < 1 || max < interval) {
            throw new IllegalArgumentException("Settings " + INTERVAL_KEY + "=" + interval + " and " + MAX_INTERVAL_KEY
                    + "=" + max + ": the first wait for a lost broker must be at least 1 ms and the longest at least"
                    + " as long (defaults 1000 and 10000)");
        }
        return new BrokerRetry(Duration.ofMillis(interval), Duration.ofMillis(max));
    }

    /**
     * The Artemis client options that make a lost connection reconnect on this schedule, without end
     * (its default is not to reconnect at all: the connection, its sessions and consumers would close).
     */
    Map<String, String> clientOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("reconnectAttempts", "-1");
        options.put("retryInterval", Long.toString(interval.toMillis()));
        options.put("retryIntervalMultiplier", "2.0");
        options.put("maxRetryInterval", Long.toString(maxInterval.toMillis()));
        return options;
    }
}
