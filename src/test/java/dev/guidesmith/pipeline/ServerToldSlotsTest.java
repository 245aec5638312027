package dev.guidesmith.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.Workloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A llama-server whose slots the user left out says how many it runs ({@code /props} total_slots), and
 * every one of them is kept busy: the queues' consumers were once sized for 1 slot such an endpoint
 * has until it answers, so a batch reached 2 calls at once on a server of 6.
 */
class ServerToldSlotsTest {

    static final int SERVER_SLOTS = 6;

    @TempDir
    Path dir;

    @Test
    void aBatchFillsEverySlotTheServerSaysItHas() throws Exception {
        SimSettings llamaServer = SimSettings.defaults().withName("llama").withModels("scorer").withSlots(SERVER_SLOTS)
                .withReplyTokens(20).withTokenLatency(Duration.ofMillis(5));
        try (SimulatedModelServer server = new SimulatedModelServer(llamaServer).start();
             InJvmService service = InJvmService.start(dir, Map.of(
                     "llm.endpoints", "llama",
                     "llm.endpoint.llama.api", "llamacpp",
                     "llm.endpoint.llama.url", server.baseUri().toString(),
                     "llm.endpoint.llama.model", "scorer"))) {
            Path file = Workloads.batch(dir.resolve("scores.jsonl"), 8 * SERVER_SLOTS, "scorer", "Score from 1 to 5.");
            service.drop(file, "scores.jsonl");
            service.awaitSettled("scores.jsonl", Duration.ofMinutes(2));

            assertThat(server.counters().completed()).isEqualTo(8 * SERVER_SLOTS);
            assertThat(server.counters().maxInside()).as("calls at once at a server of " + SERVER_SLOTS + " slots")
                    .isEqualTo(SERVER_SLOTS);
            assertThat(service.status().at("/endpoints/llama/slots").asInt()).isEqualTo(SERVER_SLOTS);
        }
    }
}
