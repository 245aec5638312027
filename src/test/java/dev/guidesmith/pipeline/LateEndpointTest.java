package dev.guidesmith.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.testkit.Workloads;
import dev.guidesmith.testing.LogCapture;
import dev.guidesmith.testkit.InJvmService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An endpoint that is down when the service starts is reported and parked, and joins the fleet as
 * soon as a health check finds it up; its api-key never appears in the log.
 */
class LateEndpointTest {

    @TempDir
    Path dir;

    @Test
    void anEndpointDownAtStartJoinsWhenItComesUp() throws Exception {
        int port = SimulatedModelServer.freePort();
        SimSettings settings = SimSettings.defaults().withName("late").withSlots(2).withModels("m").withReplyTokens(80)
                .withTokenLatency(Duration.ofMillis(5));
        Map<String, String> fleet = Map.of(
                "llm.endpoints", "late",
                "llm.endpoint.late.api", "openai",
                "llm.endpoint.late.url", "http://127.0.0.1:" + port,
                "llm.endpoint.late.model", "m",
                "llm.endpoint.late.slots", "2",
                "llm.endpoint.late.api-key", "sk-very-secret-key",
                "llm.health.interval-seconds", "1");
        try (LogCapture log = new LogCapture(); InJvmService service = InJvmService.start(dir, fleet)) {
            service.drop(Workloads.problems(dir.resolve("p.jsonl"), 1, 5), "p.jsonl");
            Thread.sleep(2000);
            assertThat(service.guideCount()).as("nothing can be done while the only endpoint is down").isZero();
            try (SimulatedModelServer late = new SimulatedModelServer(port, settings).start()) {
                service.awaitSettled("p.jsonl", Duration.ofMinutes(1));
                assertThat(service.guideCount()).isEqualTo(5);
                assertThat(service.failureCount()).isZero();
                assertThat(late.counters().completed()).isEqualTo(20);
            }
            assertThat(log.text()).contains("Endpoint late is not available").contains("Endpoint late is back")
                    .doesNotContain("sk-very-secret-key");
        }
    }
}
