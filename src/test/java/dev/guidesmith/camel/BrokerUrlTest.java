package dev.guidesmith.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reconnection options a node adds to pipeline.broker.url, and those a user wrote there who keeps them. */
class BrokerUrlTest {

    private static final Map<String, String> RECONNECT = reconnect();

    private static Map<String, String> reconnect() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("reconnectAttempts", "-1");
        options.put("retryInterval", "1000");
        return options;
    }

    @Test
    void aPlainUrlGetsTheOptions() {
        assertThat(BrokerUrl.withDefaults("tcp://broker:61616", RECONNECT))
                .isEqualTo("tcp://broker:61616?reconnectAttempts=-1&retryInterval=1000");
    }

    @Test
    void optionsTheUrlHasAlreadyAreKeptAndTheOthersAdded() {
        assertThat(BrokerUrl.withDefaults("tcp://broker:61616?consumerWindowSize=0&RETRYINTERVAL=50", RECONNECT))
                .isEqualTo("tcp://broker:61616?consumerWindowSize=0&RETRYINTERVAL=50&reconnectAttempts=-1");
        assertThat(BrokerUrl.withDefaults("tcp://broker:61616?reconnectAttempts=3&retryInterval=50", RECONNECT))
                .isEqualTo("tcp://broker:61616?reconnectAttempts=3&retryInterval=50");
    }

    @Test
    void aListOfBrokersTakesTheOptionsAfterItsOwn() {
        assertThat(BrokerUrl.withDefaults("(tcp://a:61616,tcp://b:61616)?ha=true", RECONNECT))
                .isEqualTo("(tcp://a:61616,tcp://b:61616)?ha=true&reconnectAttempts=-1&retryInterval=1000");
        assertThat(BrokerUrl.withDefaults("tcp://broker:61616?", RECONNECT))
                .isEqualTo("tcp://broker:61616?reconnectAttempts=-1&retryInterval=1000");
    }
}
