package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.sim.CallRecord;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.support.Json;
import dev.guidesmith.testkit.ServiceProcess;
import dev.guidesmith.testing.SimOllama;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 300-request batch whose service is killed with SIGKILL twice while it runs: after the last
 * restart every custom_id is in exactly one whole line of the result files, and only the calls in
 * flight at the kills were made again.
 */
class BatchCrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(BatchCrashTest.class);
    static final int REQUESTS = 300;

    @TempDir
    Path dir;

    @Test
    void killedTwiceMidBatchEveryCustomIdEndsUpOnceAndOnlyCallsInFlightRepeat() throws Exception {
        // 4 slots, about 0.2 s a call: 300 calls last long enough to be interrupted twice
        try (SimOllama box = SimOllama.start("box", SimSettings.defaults().withSlots(4).withReplyTokens(40)
                .withTokenLatency(Duration.ofMillis(5)))) {
            StringBuilder batch = new StringBuilder();
            for (int i = 1; i <= REQUESTS; i++) {
                batch.append(BatchFilesTest.request("c" + i, SimOllama.MODEL, "Candidate " + i)).append('\n');
            }
            Map<String, String> settings = new HashMap<>(box.fleet());
            Path output = dir.resolve("output/batches/scores.output.jsonl");
            List<Long> kills = new ArrayList<>();
            try (ServiceProcess first = ServiceProcess.start(dir, settings, "first.log")) {
                first.drop(batch.toString(), "scores.jsonl");
                await("50 answers before the first kill", Duration.ofMinutes(2), () -> lines(output) >= 50);
                kills.add(System.nanoTime());
                first.kill();
            }
            try (ServiceProcess second = ServiceProcess.start(dir, settings, "second.log")) {
                await("150 answers before the second kill", Duration.ofMinutes(2), () -> lines(output) >= 150);
                kills.add(System.nanoTime());
                second.kill();
            }
            try (ServiceProcess third = ServiceProcess.start(dir, settings, "third.log")) {
                await("the batch to finish", Duration.ofMinutes(3), () -> lines(output) == REQUESTS && third.jobsSettled());
                assertThat(third.log()).contains("Resuming job");
            }
            Map<String, Integer> seen = new HashMap<>();
            for (String text : Files.readAllLines(output)) {
                JsonNode line = Json.MAPPER.readTree(text); // every line whole
                seen.merge(line.path("custom_id").asText(), 1, Integer::sum);
            }
            assertThat(dir.resolve("output/batches/scores.errors.jsonl")).doesNotExist();
            assertThat(seen).hasSize(REQUESTS).allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));

            long inFlightAtKills = box.server().calls().stream()
                    .filter(call -> kills.stream().anyMatch(kill -> call.startNanos() < kill && call.endNanos() >= kill - 100_000_000L))
                    .count();
            long repeated = box.server().calls().stream().filter(CallRecord::success).count() - REQUESTS;
            LOG.info("Two SIGKILLs: {} calls in flight at the kills, {} calls repeated", inFlightAtKills, repeated);
            assertThat(repeated).as("calls made again").isBetween(0L, inFlightAtKills);
        }
    }

    private static long lines(Path file) throws Exception {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }
}
