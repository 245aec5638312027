package dev.guidesmith.sim;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.guidesmith.sim.SimClient.obj;
import static org.assertj.core.api.Assertions.assertThat;

/** An instant server must be cheap: benchmarks push thousands of calls a second through it. */
class ManyClientsTest {

    private static final Logger LOG = LoggerFactory.getLogger(ManyClientsTest.class);

    @Test
    void instantServerHandlesThousandsOfCalls() throws Exception {
        int clients = 8;
        int perClient = 300;
        try (SimulatedModelServer sim = new SimulatedModelServer(SimSettings.defaults().withSlots(4)
                .withReplyTokens(100).withRecordLimit(1000)).start()) {
            SimClient c = new SimClient(sim.baseUri());
            List<HttpRequest> kinds = List.of(
                    c.request("/api/chat", SimClient.userMessages("hi").put("model", "sim-model").put("stream", false),
                            Duration.ofSeconds(30)),
                    c.request("/api/chat", SimClient.userMessages("hi").put("model", "sim-model"),
                            Duration.ofSeconds(30)),
                    c.request("/v1/chat/completions", SimClient.userMessages("hi").put("stream", true),
                            Duration.ofSeconds(30)),
                    c.request("/completion", obj().put("prompt", "hi"), Duration.ofSeconds(30)));
            // warm up
            for (int i = 0; i < 200; i++) {
                c.http().send(kinds.get(i % kinds.size()), HttpResponse.BodyHandlers.ofString());
            }
            sim.reset();
            AtomicInteger ok = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                int offset = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        HttpResponse<String> r = c.http().send(kinds.get((i + offset) % kinds.size()),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            int total = clients * perClient;
            double rate = total / seconds;
            LOG.info("instant server: {} calls in {} s = {} calls/s", total, String.format("%.2f", seconds),
                    String.format("%.0f", rate));
            assertThat(ok.get()).isEqualTo(total);
            SimStats st = sim.stats();
            assertThat(st.completed()).isEqualTo(total);
            assertThat(st.maxProcessing()).isLessThanOrEqualTo(4);
            assertThat(st.maxInside()).as("the client never had more than %d in flight", clients)
                    .isLessThanOrEqualTo(clients);
            assertThat(sim.calls()).as("records are capped").hasSize(1000);
            // speed is for the benchmarks (see README), not for a test on a shared machine
        }
    }
}
