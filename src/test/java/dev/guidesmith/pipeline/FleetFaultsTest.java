package dev.guidesmith.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.sim.SimFaults;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.testkit.Workloads;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testing.SimOllama;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet with trouble and no healthy server: one down from the start, one failing 20% of its calls
 * with 500s and hanging on 2%, one dying for good after 40 calls. Every problem still gets its guide
 * (each stage's call has its own retries), no successful call is made twice, and no server ever has
 * more calls than its slots.
 */
class FleetFaultsTest {

    static final int PROBLEMS = 50;
    static final int DIES_AFTER = 40;

    @TempDir
    java.nio.file.Path dir;

    @Test
    void everyProblemFinishesOnceWhateverTheServersDo() throws Exception {
        SimSettings base = SimSettings.defaults().withReplyTokens(80).withTokenLatency(Duration.ofMillis(2));
        int downPort = SimulatedModelServer.freePort();
        try (SimOllama flaky = SimOllama.start("flaky", base.withSlots(2)
                        .withFaults(SimFaults.none().withErrorRate(0.2).withHangRate(0.02)));
             SimOllama dying = SimOllama.start("dying", base.withSlots(2).withFaults(SimFaults.none().withDieAfterCalls(DIES_AFTER)))) {
            Map<String, String> settings = new HashMap<>();
            settings.putAll(flaky.endpoint());
            settings.putAll(dying.endpoint());
            settings.put("llm.endpoint.down.api", "ollama");
            settings.put("llm.endpoint.down.url", "http://127.0.0.1:" + downPort);
            settings.put("llm.endpoint.down.model", SimOllama.MODEL);
            settings.put("llm.endpoint.down.slots", "4");
            settings.put("llm.endpoints", "down,flaky,dying");
            settings.put("llm.idle-timeout-seconds", "2");
            settings.put("llm.retry.delay-ms", "50");
            settings.put("llm.retry.max-delay-ms", "500");
            // Once the dying server is gone, the flaky one alone fails 22% of attempts: 7 attempts a
            // call leave about one run in 300 with a dead letter (5 attempts: one in 12)
            settings.put("llm.retry.max-redeliveries", "6");
            settings.put("llm.health.interval-seconds", "1");

            try (InJvmService service = InJvmService.start(dir, settings)) {
                service.drop(Workloads.problems(dir.resolve("problems.jsonl"), 1, PROBLEMS), "problems.jsonl");
                service.awaitSettled("problems.jsonl", Duration.ofMinutes(3));
                assertThat(service.failureCount()).isZero();
                assertThat(service.guideCount()).isEqualTo(PROBLEMS);
            }
            long expectedCalls = PROBLEMS * 4L;
            List<SimOllama> servers = List.of(flaky, dying);
            long completed = servers.stream().mapToLong(s -> s.server().counters().completed()).sum();
            assertThat(completed).as("successful calls: one per problem and stage, none twice").isEqualTo(expectedCalls);
            for (SimOllama server : servers) {
                assertThat(server.server().counters().maxInside()).as(server.server().settings().name() + " calls at once")
                        .isLessThanOrEqualTo(server.server().settings().slots());
            }
            assertThat(dying.server().isRunning()).as("the dying server died").isFalse();
            assertThat(dying.server().counters().completed()).as("the dying server served until it died").isLessThanOrEqualTo(DIES_AFTER);
            assertThat(flaky.server().counters().failed()).as("the flaky server did fail some calls: " + flaky.server().stats())
                    .isPositive();
        }
    }
}
