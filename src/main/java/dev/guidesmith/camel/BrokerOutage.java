package dev.guidesmith.camel;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import java.util.Set;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.camel.Exchange;
import org.apache.camel.component.jms.JmsEndpoint;

/**
 * Tells a broker that is away (stopped, restarting, out of reach: the send waits or fails, a
 * transaction is rolled back on reconnection) from a message the broker refuses. The first is not
 * the item's fault: routes/errors.camel.yaml never records the item as failed; it sends again until
 * the broker is back, or leaves the message to the broker to deliver again.
 */
public final class BrokerOutage {

    /** JMS failures about the message or the login, not the connection: another try fails the same way. */
    private static final Set<Class<? extends JMSException>> NOT_AN_OUTAGE = Set.of(JMSSecurityException.class,
            MessageFormatException.class, MessageNotReadableException.class, MessageNotWriteableException.class,
            InvalidDestinationException.class, InvalidSelectorException.class);

    /**
     * A send failed because the broker is away, and the exchange did not come from the broker (the
     * job's split): trying the send again is the way on.
     */
    public boolean whileSending(Exchange exchange) {
        return !fromBroker(exchange) && isOutage(failure(exchange));
    }

    /**
     * The broker went away while a consumer of its queue was working on a message: that message's
     * transaction is lost with it, so the exchange ends at once, rolled back, and the broker delivers
     * the message again when it is back (trying a send again in a lost session would never end).
     */
    public boolean whileConsuming(Exchange exchange) {
        return fromBroker(exchange) && isOutage(failure(exchange));
    }

    private static boolean fromBroker(Exchange exchange) {
        return exchange.getFromEndpoint() instanceof JmsEndpoint;
    }

    private static Throwable failure(Exchange exchange) {
        Throwable error = exchange.getException();
        return error == null ? exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class) : error;
    }

    static boolean isOutage(Throwable error) {
        boolean outage = false;
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            Throwable seen = cause;
            if (NOT_AN_OUTAGE.stream().anyMatch(kind -> kind.isInstance(seen))) {
                return false;
            }
            outage |= seen instanceof JMSException || seen instanceof ActiveMQException;
        }
        return outage;
    }
}
