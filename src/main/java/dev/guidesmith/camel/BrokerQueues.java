package dev.guidesmith.camel;

import dev.guidesmith.support.Settings;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.time.Duration;
import org.apache.activemq.artemis.api.core.client.FailoverEventListener;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import java.util.List;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.jms.JmsHeaderFilterStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * Where the queues between stages live: {@code pipeline.queue} is the component every stage queue's
 * URI starts with ({@code {{pipeline.queue}}:describe}). {@code seda} keeps them in this process;
 * {@code jms} puts them on the ActiveMQ Artemis broker at {@code pipeline.broker.url}, so several
 * nodes share the work and a message outlives the node that was working on it.
 */
final class BrokerQueues {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerQueues.class);

    static final String QUEUE_KEY = "pipeline.queue";
    static final String URL_KEY = "pipeline.broker.url";

    private BrokerQueues() {
    }

    /** The stage queues are on the broker: what was sent outlives this process. */
    static boolean onBroker(Settings settings) {
        return "jms".equals(settings.string(QUEUE_KEY, "seda"));
    }

    /** Connects the jms component to the broker when the queues are there; checks the broker is reachable now. */
    static void configure(CamelContext context, Settings settings) throws Exception {
        String queue = settings.string(QUEUE_KEY, "seda");
        if ("seda".equals(queue)) {
            return;
        }
        if (!"jms".equals(queue)) {
            throw new IllegalArgumentException("Setting " + QUEUE_KEY + " is " + queue
                    + ": use seda (in this process, the default) or jms (on the broker at " + URL_KEY + ")");
        }
        String url = settings.required(URL_KEY);
        BrokerRetry retry = BrokerRetry.from(settings);
        // a broker lost mid-run is waited for: the client reconnects by itself (unless the URL says otherwise)
        ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(BrokerUrl.withDefaults(url, retry.clientOptions()));
        // a consumer takes a message only when it is free to work on it: no prefetched work that
        // another node could have started
        broker.setConsumerWindowSize(settings.integer("pipeline.broker.consumer-window-size", 0));
        // a broker that requires a login (a stock Artemis); the password is never logged
        settings.find("pipeline.broker.user").ifPresent(broker::setUser);
        settings.find("pipeline.broker.password").ifPresent(broker::setPassword);
        checkReachable(broker, url);

        // One connection, its sessions cached: a send from a stage's consumer thread joins that
        // consumer's transaction (the next stage's message and the acknowledgement commit together).
        // the waits the client really uses (an option written into the URL wins over the settings)
        BrokerWatch watch = new BrokerWatch(url, new BrokerRetry(Duration.ofMillis(broker.getRetryInterval()),
                Duration.ofMillis(broker.getMaxRetryInterval())));
        WatchedConnections connections = new WatchedConnections(broker, watch);
        connections.setSessionCacheSize(settings.integer("pipeline.broker.session-cache-size", 64));
        // the listener containers keep their own consumers (CACHE_CONSUMER below)
        connections.setCacheConsumers(false);
        // added before every other service, so stopped after them: the connection closes last
        context.addService(new Lifecycle(() -> { }, connections::resetConnection), true, true);
        // unless the broker is away then: the consumers would wait for it, and the stop with them
        context.getManagementStrategy().addEventNotifier(new LetGoOfALostBroker(watch, connections::letGo));

        JmsComponent jms = context.getComponent("jms", JmsComponent.class);
        jms.setConnectionFactory(connections);
        jms.setMessageConverter(new QueueBodies());
        // The body's kind is the converter's own message property: it must not come back as a Camel
        // header, or it would ride along to the next send and name the wrong kind there (a batch
        // validated from a message would send its requests marked as batch ids).
        JmsHeaderFilterStrategy headers = new JmsHeaderFilterStrategy();
        headers.getInFilter().addAll(List.of(QueueBodies.KIND, QueueBodies.ITEM_KIND));
        headers.getOutFilter().addAll(List.of(QueueBodies.KIND, QueueBodies.ITEM_KIND));
        jms.setHeaderFilterStrategy(headers);
        // Transacted consumers: a message is acknowledged when its stage is over, so a node that dies
        // mid-call leaves it to be delivered again (auto-acknowledge would lose it). Without the two
        // options after it, Spring would make a session per message.
        jms.setTransacted(true);
        jms.setLazyCreateTransactionManager(false);
        jms.setCacheLevelName("CACHE_CONSUMER");
        // a hop between stages is one-way: never wait for an answer, whatever the exchange's pattern
        jms.setDisableReplyTo(true);
        // a rollback (an item back before its job is resumed) is routine: one line, no stack trace
        jms.setErrorHandlerLogStackTrace(false);
        // a consumer whose connection could not be set up (the broker gone for good, reconnectAttempts
        // ran out) tries again on the same schedule as the client
        jms.setRecoveryInterval(retry.interval().toMillis());
        LOG.info("Stage queues on the broker at {} ({}={})", url, QUEUE_KEY, queue);
    }

    /** The connection factory's one connection tells {@link BrokerWatch} when it loses the broker and has it back. */
    private static final class WatchedConnections extends CachingConnectionFactory {

        private final FailoverEventListener watch;
        private volatile ActiveMQConnection current;

        WatchedConnections(ActiveMQConnectionFactory broker, FailoverEventListener watch) {
            super(broker);
            this.watch = watch;
        }

        @Override
        protected void prepareConnection(Connection connection) throws JMSException {
            super.prepareConnection(connection);
            if (connection instanceof ActiveMQConnection artemis) {
                artemis.setFailoverListener(watch);
                current = artemis;
            }
        }

        /**
         * Drops the connection without a word to the broker, which is away: its sessions close here
         * at once, and whatever waits on them (a send, a receive, the reconnection) stops waiting.
         * A plain close would ask the absent broker to close each session, waiting for each.
         */
        void letGo() {
            ActiveMQConnection connection = current;
            if (connection != null) {
                connection.getSessionFactory().cleanup();
            }
            resetConnection();
        }

        /**
         * The client reconnected by itself ("FAILOVER"): the connection, its sessions and consumers
         * carry on. Spring would close them all and start over, and a consumer busy with a call
         * would find its session closed. A connection that is gone for good is still reset.
         */
        @Override
        public void onException(JMSException failure) {
            if (!ActiveMQConnection.EXCEPTION_FAILOVER.equals(failure.getErrorCode())) {
                super.onException(failure);
            }
        }
    }

    private static void checkReachable(ActiveMQConnectionFactory broker, String url) {
        try (Connection connection = broker.createConnection()) {
            connection.getMetaData();
        } catch (JMSException | RuntimeException e) {
            throw new IllegalStateException("Cannot reach the message broker at " + URL_KEY + "=" + url + " ("
                    + e.getMessage() + "). Start it (java -Dguidesmith.role=broker -Dpipeline.broker.port=PORT -jar "
                    + "target/guidesmith.jar, or a stock Artemis), or fix " + URL_KEY + ", or set " + QUEUE_KEY
                    + "=seda to run this node alone.", e);
        }
    }
}
