package dev.guidesmith.camel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.llm.FailureKind;
import dev.guidesmith.llm.ModelCallException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.TransactionRolledBackException;
import org.apache.activemq.artemis.api.core.ActiveMQNotConnectedException;
import org.junit.jupiter.api.Test;
import org.springframework.jms.UncategorizedJmsException;
import org.springframework.jms.support.converter.MessageConversionException;

/** Which failures mean the broker is away (tried again, never an item's failure) and which do not. */
class BrokerOutageExceptionsTest {

    @Test
    void aConnectionOrTransactionLostWithTheBrokerIsAnOutage() {
        JMSException notConnected = new JMSException("AMQ219007: Cannot connect to server(s)");
        notConnected.initCause(new ActiveMQNotConnectedException("AMQ219007"));
        // as Camel's JMS producer sees it: Spring's JmsTemplate wraps the client's exception
        assertThat(BrokerOutage.isOutage(new UncategorizedJmsException(notConnected))).isTrue();
        assertThat(BrokerOutage.isOutage(new org.springframework.jms.TransactionRolledBackException(
                new TransactionRolledBackException("AMQ219030: The transaction was rolled back on failover")))).isTrue();
        assertThat(BrokerOutage.isOutage(new ActiveMQNotConnectedException("AMQ219007"))).isTrue();
    }

    @Test
    void aRefusedLoginAnUnsendableBodyOrAFailedModelCallIsNot() {
        assertThat(BrokerOutage.isOutage(new UncategorizedJmsException(new JMSSecurityException("AMQ229031: not authorized"))))
                .isFalse();
        assertThat(BrokerOutage.isOutage(new MessageConversionException("A java.lang.String cannot cross the broker")))
                .isFalse();
        assertThat(BrokerOutage.isOutage(new ModelCallException(FailureKind.SERVER_ERROR, "box", "HTTP 500"))).isFalse();
        assertThat(BrokerOutage.isOutage(null)).isFalse();
    }
}
