package dev.guidesmith.broker;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ActiveMQ Artemis broker inside this JVM, for trials and small clusters: persistent (its
 * journal survives a kill -9), one TCP acceptor for the nodes, and for every address a redelivery
 * delay and a dead-letter address, so a message that keeps failing is set aside, not dropped.
 * Security is off: bind it to an address only trusted machines reach (pipeline.broker.host).
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final BrokerSettings settings;
    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();

    private EmbeddedBroker(BrokerSettings settings) {
        this.settings = settings;
    }

    /** Starts the broker; throws with the setting to change when it cannot (port taken, folder not writable). */
    public static EmbeddedBroker start(BrokerSettings settings) throws Exception {
        EmbeddedBroker broker = new EmbeddedBroker(settings);
        broker.server.setConfiguration(configuration(settings));
        try {
            broker.server.start();
        } catch (Exception e) {
            throw new IllegalStateException("The broker could not start on " + settings.url() + " with its journal in "
                    + settings.data() + ": " + e.getMessage()
                    + ". Is the port taken? Change pipeline.broker.port (or pipeline.broker.host, pipeline.work).", e);
        }
        if (!broker.server.getActiveMQServer().isActive()) {
            broker.server.stop();
            throw new IllegalStateException("The broker did not become active on " + settings.url()
                    + " (its log says why); change pipeline.broker.port if the port is taken");
        }
        LOG.info("Broker listening on {} (journal in {}; redelivery after {} ms, {} attempts, then {})", settings.url(),
                settings.data(), settings.redeliveryDelay().toMillis(), settings.maxDeliveryAttempts(),
                settings.deadLetterAddress());
        return broker;
    }

    private static Configuration configuration(BrokerSettings settings) throws Exception {
        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalDirectory(settings.data().resolve("journal").toString())
                .setBindingsDirectory(settings.data().resolve("bindings").toString())
                .setPagingDirectory(settings.data().resolve("paging").toString())
                .setLargeMessagesDirectory(settings.data().resolve("large-messages").toString())
                // the nodes' queues (describe, render, ...) come into being when first used
                .addAddressSetting("#", new AddressSettings()
                        .setRedeliveryDelay(settings.redeliveryDelay().toMillis())
                        .setMaxDeliveryAttempts(settings.maxDeliveryAttempts())
                        .setDeadLetterAddress(SimpleString.of(settings.deadLetterAddress()))
                        // the nodes send without a time to live; should one ever expire, it is set aside too
                        .setExpiryAddress(SimpleString.of(settings.deadLetterAddress()))
                        .setAutoCreateDeadLetterResources(true)
                        .setAutoCreateQueues(true)
                        .setAutoCreateAddresses(true));
        config.addAcceptorConfiguration("nodes", settings.url());
        config.addAcceptorConfiguration("in-vm", "vm://0");
        return config;
    }

    public BrokerSettings settings() {
        return settings;
    }

    /** Messages on a queue now, delivered-but-unacknowledged ones included; 0 for a queue not made yet. */
    public long messagesOn(String queue) {
        Queue found = server.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return found == null ? 0 : found.getMessageCount();
    }

    /** Messages acknowledged on a queue since the broker started. */
    public long acknowledgedOn(String queue) {
        Queue found = server.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return found == null ? 0 : found.getMessagesAcknowledged();
    }

    /** Stops taking connections, then closes the journal cleanly. */
    @Override
    public void close() throws Exception {
        server.stop();
        LOG.info("Broker on {} stopped", settings.url());
    }
}
