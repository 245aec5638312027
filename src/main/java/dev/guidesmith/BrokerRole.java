package dev.guidesmith;

import dev.guidesmith.broker.BrokerSettings;
import dev.guidesmith.broker.EmbeddedBroker;
import dev.guidesmith.support.Settings;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * {@code java -Dguidesmith.role=broker -jar guidesmith.jar}: this process runs only the ActiveMQ
 * Artemis broker that the nodes' queues live on ({@code pipeline.queue=jms}), until SIGTERM or
 * Ctrl-C, which closes its journal cleanly and exits 0.
 */
final class BrokerRole {

    private BrokerRole() {
    }

    static int run(Settings settings) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        GracefulSignals.stopOnSignal("stopping the broker", stopped::countDown);
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.from(settings))) {
            LoggerFactory.getLogger(BrokerRole.class).info(
                    "Broker role: nodes reach this broker with pipeline.queue=jms and pipeline.broker.url={}",
                    broker.settings().url());
            stopped.await();
        }
        return 0;
    }
}
