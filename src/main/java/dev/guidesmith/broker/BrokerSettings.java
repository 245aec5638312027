package dev.guidesmith.broker;

import dev.guidesmith.support.Settings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the embedded broker runs ({@code guidesmith.role=broker}): where it listens, where its journal
 * lives, and what it does with a message whose consumer rolled back or died.
 *
 * @param host                 the address the TCP acceptor binds (127.0.0.1: this machine only)
 * @param port                 the TCP port the nodes connect to
 * @param data                 the journal, bindings, paging and large-message folders' parent
 * @param redeliveryDelay      how long a rolled-back message waits before it is delivered again
 * @param maxDeliveryAttempts  deliveries before a message goes to the dead-letter address
 * @param deadLetterAddress    where a message goes after its last delivery attempt
 */
public record BrokerSettings(String host, int port, Path data, Duration redeliveryDelay, int maxDeliveryAttempts,
                             String deadLetterAddress) {

    public static final String PORT_KEY = "pipeline.broker.port";

    public static BrokerSettings from(Settings settings) {
        Path work = Path.of(settings.string("pipeline.work", "data/work"));
        int port = settings.integer(PORT_KEY, 61616);
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("Setting " + PORT_KEY + " is " + port
                    + ": the broker needs a TCP port between 1 and 65535 (default 61616)");
        }
        int attempts = settings.integer("pipeline.broker.max-delivery-attempts", 10);
        if (attempts < 1) {
            throw new IllegalArgumentException("Setting pipeline.broker.max-delivery-attempts is " + attempts
                    + ": a message needs at least 1 delivery (default 10)");
        }
        return new BrokerSettings(
                settings.string("pipeline.broker.host", "127.0.0.1"),
                port,
                work.resolve("broker"),
                Duration.ofMillis(settings.integer("pipeline.broker.redelivery-delay-ms", 5000)),
                attempts,
                settings.string("pipeline.broker.dead-letter-address", "DLQ"));
    }

    /** The defaults, journal under {@code work}, on {@code port}, a redelivery after {@code redeliveryDelay} (tests, benchmarks). */
    public static BrokerSettings local(Path work, int port, Duration redeliveryDelay) {
        return new BrokerSettings("127.0.0.1", port, work.resolve("broker"), redeliveryDelay, 10, "DLQ");
    }

    /** The same broker on another port (tests and benchmarks take a free one). */
    public BrokerSettings onPort(int otherPort) {
        return new BrokerSettings(host, otherPort, data, redeliveryDelay, maxDeliveryAttempts, deadLetterAddress);
    }

    /** What a node sets as {@code pipeline.broker.url} to reach this broker. */
    public String url() {
        return "tcp://" + host + ":" + port;
    }
}
