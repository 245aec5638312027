package dev.guidesmith.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server of hidden parallelism ({@link SimSettings#withParallelism}): requests processed at once share its
 * throughput (each runs {@code n^-0.2} as fast as alone), and those beyond the parallelism wait. Timing assertions
 * are lower bounds (the server sleeps at least that long), so a loaded machine cannot break them.
 */
class ContentionTest {

    /** One reply alone: 25 tokens x 8 ms. */
    private static final long ALONE_MILLIS = 200;

    private SimulatedModelServer sim;

    @AfterEach
    void close() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void callsProcessedTogetherShareTheThroughputAndTheRestQueue() throws Exception {
        sim = new SimulatedModelServer(SimSettings.defaults().withParallelism(4).withReplyTokens(25)
                .withTokenLatency(Duration.ofMillis(8))).start();

        List<CallRecord> alone = send(1);
        assertThat(alone.get(0).processingNanos()).isGreaterThanOrEqualTo(ms(ALONE_MILLIS));

        List<CallRecord> four = send(4);
        // four at once: each runs 4^-0.2 as fast, so it takes 4^0.2 = 1.32 times as long (uncontended: 1.0);
        // the bound leaves room for requests that arrive a little apart
        long shared = (long) (ALONE_MILLIS * 1.15);
        assertThat(four).allSatisfy(call -> assertThat(call.processingNanos()).isGreaterThanOrEqualTo(ms(shared)));
        assertThat(sim.stats().maxProcessing()).as("all four processed together").isEqualTo(4);

        List<CallRecord> eight = send(8);
        assertThat(sim.stats().maxProcessing()).as("never more than the parallelism at once").isEqualTo(4);
        // the four that came last waited for the first four to finish: more slots than 4 add latency only
        List<CallRecord> byWait = new ArrayList<>(eight);
        byWait.sort(Comparator.comparingLong(CallRecord::waitNanos));
        assertThat(byWait.subList(4, 8)).allSatisfy(call -> assertThat(call.waitNanos()).isGreaterThanOrEqualTo(ms(shared)));
        assertThat(eight).allSatisfy(call -> assertThat(call.success()).isTrue());
    }

    @Test
    void theDefaultServerRunsEverySlotAsFastAsOneAlone() {
        assertThat(SimSettings.defaults().scaling()).isEqualTo(1.0);
        assertThat(SimSettings.defaults().withParallelism(3).slots()).isEqualTo(3);
        assertThat(SimSettings.defaults().withParallelism(3).scaling()).isEqualTo(SimSettings.CONTENDED_SCALING);
    }

    /** Sends {@code n} requests at once and returns their records. */
    private List<CallRecord> send(int n) throws Exception {
        SimClient client = new SimClient(sim.baseUri());
        // open n connections first, so the requests below reach the server together
        List<CompletableFuture<HttpResponse<String>>> warm = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            warm.add(client.http().sendAsync(java.net.http.HttpRequest.newBuilder(sim.baseUri().resolve("/api/version")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> reply : warm) {
            reply.get(30, TimeUnit.SECONDS);
        }
        int before = sim.calls().size();
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            replies.add(client.http().sendAsync(client.request("/api/chat", SimClient.userMessages("question " + before + i)
                    .put("model", "sim-model").put("stream", false), Duration.ofSeconds(30)), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> reply : replies) {
            assertThat(reply.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        List<CallRecord> calls = sim.calls();
        return calls.subList(before, calls.size());
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
