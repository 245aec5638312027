package dev.guidesmith.llm;

import dev.guidesmith.support.Settings;
import java.time.Duration;

/**
 * How long a call may take.
 *
 * @param idle    no byte for this long (headers included) abandons the call ({@code llm.idle-timeout-seconds})
 * @param call    the whole call may not take longer ({@code llm.call-timeout-seconds})
 * @param connect establishing the connection ({@code llm.connect-timeout-seconds})
 * @param probe   a health check ({@code llm.health.timeout-seconds})
 */
public record CallTimeouts(Duration idle, Duration call, Duration connect, Duration probe) {

    public static CallTimeouts from(Settings settings) {
        return new CallTimeouts(
                settings.seconds("llm.idle-timeout-seconds", 180),
                settings.seconds("llm.call-timeout-seconds", 1800),
                settings.seconds("llm.connect-timeout-seconds", 10),
                settings.seconds("llm.health.timeout-seconds", 5));
    }
}
