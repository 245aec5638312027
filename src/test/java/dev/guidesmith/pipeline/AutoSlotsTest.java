package dev.guidesmith.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.testing.LogCapture;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.Workloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slots=auto} through the real service: two simulated servers that hide their parallelism, one running 8 calls
 * at once (their throughput shared along n^0.8), one running 1. The service finds more than one slot for the first and
 * keeps one for the second, logs why, and shows it in {@code /status}.
 */
class AutoSlotsTest {

    @TempDir
    Path dir;

    @Test
    void findsTheSlotsOfEachServerByMeasurement() throws Exception {
        Map<String, String> fleet = new LinkedHashMap<>();
        fleet.put("llm.endpoints", "wide,narrow");
        for (String name : new String[] {"wide", "narrow"}) {
            fleet.put("llm.endpoint." + name + ".api", "sim");
            fleet.put("llm.endpoint." + name + ".model", "sim-model");
            fleet.put("llm.endpoint." + name + ".slots", "auto");
            fleet.put("llm.endpoint." + name + ".max-slots", "8");
            // a call alone takes about 300 ms: long next to the service's turnaround between calls
            fleet.put("llm.endpoint." + name + ".sim.token-latency-ms", "1");
        }
        fleet.put("llm.endpoint.wide.sim.parallelism", "8");
        fleet.put("llm.endpoint.narrow.sim.parallelism", "1");
        fleet.put("guide.checks", "sections"); // the slots are the point here, not compiling the guides' code
        try (LogCapture log = new LogCapture(); InJvmService service = InJvmService.start(dir, fleet)) {
            service.drop(Workloads.problems(dir.resolve("p.jsonl"), 1, 40), "p.jsonl");
            service.awaitSettled("p.jsonl", Duration.ofMinutes(3));
            assertThat(service.guideCount()).isEqualTo(40);
            assertThat(service.failureCount()).isZero();

            JsonNode endpoints = service.status().path("endpoints");
            JsonNode wide = endpoints.path("wide");
            assertThat(wide.path("slots").asInt()).as(wide.toString()).isGreaterThan(1);
            assertThat(wide.path("autoSlots").path("maxSlots").asInt()).isEqualTo(8);
            // measured a gain from 1 to 2 (and maybe more), whether it has settled yet or is still climbing
            assertThat(wide.path("autoSlots").path("decision").asText()).as(wide.toString()).containsPattern("1→2 \\+\\d+%");
            JsonNode narrow = endpoints.path("narrow");
            assertThat(narrow.path("slots").asInt()).as(narrow.toString()).isEqualTo(1);
            assertThat(narrow.path("autoSlots").path("decision").asText()).as(narrow.toString())
                    .matches("1 slot: 1→2 [+-]\\d+% \\(flat\\), keeping 1");
            assertThat(log.text()).contains("endpoint narrow: 1 slot: 1→2 ");
        }
    }
}
