package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.guidesmith.sim.SimClient.json;
import static dev.guidesmith.sim.SimClient.obj;
import static dev.guidesmith.sim.SimClient.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Slots, "inside" vs "processing", and the work figures. Timing assertions are lower bounds only (the server sleeps
 * at least that long); upper bounds are loose, for a noisy 2-core machine.
 */
class SlotsAndCountersTest {

    private SimulatedModelServer sim;

    @AfterEach
    void close() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void atMostSlotsProcessWhileEveryRequestWaitsInside() throws Exception {
        int slots = 2;
        int requests = 3 * slots;
        // each reply: 25 tokens x 40 ms = 1 s of work
        sim = new SimulatedModelServer(SimSettings.defaults().withSlots(slots).withReplyTokens(25)
                .withTokenLatency(Duration.ofMillis(40))).start();
        SimClient c = new SimClient(sim.baseUri());
        List<HttpRequest> all = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            switch (i % 3) {
                case 0 -> all.add(c.request("/api/chat", SimClient.userMessages("q" + i).put("model", "sim-model")
                        .put("stream", i % 2 == 0), Duration.ofSeconds(30)));
                case 1 -> all.add(c.request("/v1/chat/completions", SimClient.userMessages("q" + i)
                        .put("stream", i % 2 == 0), Duration.ofSeconds(30)));
                default -> all.add(c.request("/completion", obj().put("prompt", "q" + i).put("stream", i % 2 == 0),
                        Duration.ofSeconds(30)));
            }
        }
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (HttpRequest r : all) {
            futures.add(c.http().sendAsync(r, HttpResponse.BodyHandlers.ofString()));
        }
        // while it runs: all are inside, only `slots` are processing, and /slots agrees
        waitFor(Duration.ofSeconds(10), () -> sim.counters().inside() == requests);
        assertThat(sim.counters().processing()).isEqualTo(slots);
        JsonNode slotView = json(c.get("/slots").body());
        assertThat(slotView).hasSize(slots).allSatisfy(s -> assertThat(s.get("is_processing").asBoolean()).isTrue());

        for (CompletableFuture<HttpResponse<String>> f : futures) {
            assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        SimStats st = sim.stats();
        assertThat(st.received()).isEqualTo(requests);
        assertThat(st.completed()).isEqualTo(requests);
        assertThat(st.failed()).isZero();
        assertThat(st.maxInside()).as("all arrived at once").isEqualTo(requests);
        assertThat(st.maxProcessing()).as("never more than the slots").isEqualTo(slots);
        assertThat(st.inside()).isZero();
        assertThat(st.processing()).isZero();

        // the records agree: their processing intervals never overlap more than `slots`
        List<CallRecord> calls = sim.calls();
        assertThat(calls).hasSize(requests).allSatisfy(r -> {
            assertThat(r.outputTokens()).isEqualTo(25);
            assertThat(r.slot()).isBetween(0, slots - 1);
            assertThat(r.processingNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1000));
        });
        assertThat(maxOverlap(calls)).isEqualTo(slots);
        assertThat(calls.stream().filter(r -> r.waitNanos() > TimeUnit.MILLISECONDS.toNanos(500)).count())
                .as("requests beyond the slots waited for one").isGreaterThanOrEqualTo(requests - slots);

        // work: 6 replies x 25 tokens x 40 ms, whatever the wall time
        assertThat(st.workSeconds()).isCloseTo(6.0, within(1e-9));
        assertThat(st.outputTokens()).isEqualTo(150);
        // 6 s of work through 2 slots takes at least 3 s
        double span = st.span().toNanos() / 1e9;
        assertThat(span).isGreaterThanOrEqualTo(3.0);
        double efficiency = st.workSeconds() / (slots * span);
        assertThat(efficiency).isLessThanOrEqualTo(1.0).isGreaterThan(0.4);
    }

    @Test
    void speedDividesWallTimeButNotWork() throws Exception {
        // 20 tokens x 50 ms = 1 s of work; at speed 4 it takes 0.25 s; 100 prompt tokens x 2 ms / 4 = 50 ms first
        sim = new SimulatedModelServer(SimSettings.defaults().withReplyTokens(20).withSpeed(4.0)
                .withTokenLatency(Duration.ofMillis(50)).withPromptTokenLatency(Duration.ofMillis(2))).start();
        SimClient c = new SimClient(sim.baseUri());
        JsonNode r = json(c.post("/completion", obj().put("prompt", "p".repeat(400))).body());
        assertThat(r.get("tokens_predicted").asInt()).isEqualTo(20);
        double promptMs = r.get("timings").get("prompt_ms").asDouble();
        double predictedMs = r.get("timings").get("predicted_ms").asDouble();
        assertThat(promptMs).isGreaterThanOrEqualTo(50.0);
        // measured from the actual first token: only the sum has a hard lower bound
        assertThat(promptMs + predictedMs).isGreaterThanOrEqualTo(299.9);
        assertThat(predictedMs).isGreaterThan(150.0);
        CallRecord call = sim.calls().get(0);
        assertThat(call.processingNanos()).isBetween(TimeUnit.MILLISECONDS.toNanos(300),
                TimeUnit.MILLISECONDS.toNanos(900));
        assertThat(sim.stats().workSeconds()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void streamingIsProgressive() throws Exception {
        // 30 tokens x 20 ms = 600 ms, sent in chunks along the way
        sim = new SimulatedModelServer(SimSettings.defaults().withReplyTokens(30)
                .withTokenLatency(Duration.ofMillis(20))).start();
        SimClient c = new SimClient(sim.baseUri());
        HttpResponse<InputStream> r = c.http().send(c.request("/api/chat", SimClient.userMessages("go")
                .put("model", "sim-model"), Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        List<Long> arrivals = new ArrayList<>();
        String line;
        String last = null;
        while ((line = reader.readLine()) != null) {
            arrivals.add(System.nanoTime());
            last = line;
        }
        assertThat(json(last).get("done").asBoolean()).isTrue();
        assertThat(arrivals.size()).as("several chunks").isGreaterThan(5);
        assertThat(arrivals.get(arrivals.size() - 1) - arrivals.get(0))
                .as("the chunks are spread over the reply's time")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(400));
    }

    @Test
    void resetZeroesTotalsAndFirstLastInstants() throws Exception {
        sim = new SimulatedModelServer(SimSettings.defaults().withReplyTokens(10)
                .withTokenLatency(Duration.ofMillis(1))).start();
        SimClient c = new SimClient(sim.baseUri());
        c.post("/completion", obj().put("prompt", "a"));
        c.post("/completion", obj().put("prompt", "b"));
        SimStats before = sim.stats();
        assertThat(before.firstCallStart()).isNotNull();
        assertThat(before.lastCallEnd()).isAfter(before.firstCallStart());
        assertThat(before.workSeconds()).isCloseTo(0.02, within(1e-9));
        sim.reset();
        SimStats after = sim.stats();
        assertThat(after.received()).isZero();
        assertThat(after.completed()).isZero();
        assertThat(after.maxInside()).isZero();
        assertThat(after.workSeconds()).isZero();
        assertThat(after.firstCallStart()).isNull();
        assertThat(sim.calls()).isEmpty();
    }

    /** The most records whose [slotNanos, endNanos] intervals overlap at one instant. */
    private static int maxOverlap(List<CallRecord> calls) {
        List<long[]> edges = new ArrayList<>();
        for (CallRecord r : calls) {
            edges.add(new long[] {r.slotNanos(), +1});
            edges.add(new long[] {r.endNanos(), -1});
        }
        edges.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int now = 0;
        int max = 0;
        for (long[] e : edges) {
            now += (int) e[1];
            max = Math.max(max, now);
        }
        return max;
    }
}
