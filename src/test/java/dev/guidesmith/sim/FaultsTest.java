package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.guidesmith.sim.SimClient.json;
import static dev.guidesmith.sim.SimClient.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.guidesmith.sim.SimClient.waitFor;

class FaultsTest {

    private SimulatedModelServer sim;

    @AfterEach
    void close() {
        if (sim != null) {
            sim.close();
        }
    }

    private SimClient start(SimSettings settings) {
        sim = new SimulatedModelServer(settings).start();
        return new SimClient(sim.baseUri());
    }

    private static ObjectNode ollama(String text) {
        return SimClient.userMessages(text).put("model", "sim-model").put("stream", false);
    }

    @Test
    void errorRateOneGives500InEachApisShape() throws Exception {
        SimClient c = start(SimSettings.defaults().withFaults(SimFaults.none().withErrorRate(1.0)));
        HttpResponse<String> o = c.post("/api/chat", ollama("hi"));
        assertThat(o.statusCode()).isEqualTo(500);
        assertThat(json(o.body()).get("error").asText()).contains("[simulated]");
        HttpResponse<String> v1 = c.post("/v1/chat/completions", SimClient.userMessages("hi"));
        assertThat(v1.statusCode()).isEqualTo(500);
        assertThat(json(v1.body()).get("error").get("type").asText()).isEqualTo("server_error");
        assertThat(json(v1.body()).get("error").get("code").asInt()).isEqualTo(500);
        HttpResponse<String> l = c.post("/completion", obj().put("prompt", "hi").put("stream", true));
        assertThat(l.statusCode()).isEqualTo(500);
        assertThat(json(l.body()).get("error").get("code").asInt()).isEqualTo(500);
        assertThat(sim.counters().count(Outcome.ERROR)).isEqualTo(3);
        assertThat(sim.counters().failed()).isEqualTo(3);
        assertThat(sim.counters().completed()).isZero();
        assertThat(sim.counters().maxProcessing()).as("failed before taking a slot").isZero();

        sim.setFaults(SimFaults.none());
        assertThat(c.post("/api/chat", ollama("hi")).statusCode()).isEqualTo(200);
    }

    @Test
    void busyGivesOllamas503() throws Exception {
        SimClient c = start(SimSettings.defaults().withFaults(SimFaults.none().withBusyRate(1.0)));
        HttpResponse<String> r = c.post("/api/chat", ollama("hi"));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body())
                .isEqualTo("{\"error\":\"server busy, please try again.  maximum pending requests exceeded\"}");
        HttpResponse<String> v1 = c.post("/v1/chat/completions", SimClient.userMessages("hi"));
        assertThat(v1.statusCode()).isEqualTo(503);
        assertThat(json(v1.body()).get("error").get("message").asText())
                .isEqualTo("server busy, please try again.  maximum pending requests exceeded");
        assertThat(sim.counters().count(Outcome.BUSY)).isEqualTo(2);
    }

    @Test
    void partialRatesAreReproducibleForASeed() throws Exception {
        int[] errors = new int[2];
        for (int round = 0; round < 2; round++) {
            SimClient c = start(SimSettings.defaults().withReplyTokens(10).withSeed(7)
                    .withFaults(SimFaults.none().withErrorRate(0.3).withBusyRate(0.2)));
            StringBuilder pattern = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                pattern.append(c.post("/api/chat", ollama("hi")).statusCode() / 100);
            }
            errors[round] = pattern.toString().hashCode();
            long err = sim.counters().count(Outcome.ERROR);
            long busy = sim.counters().count(Outcome.BUSY);
            assertThat(err).isBetween(8L, 30L);
            assertThat(busy).isBetween(3L, 25L);
            assertThat(sim.counters().completed()).isEqualTo(60 - err - busy);
            sim.close();
        }
        assertThat(errors[0]).as("same seed, same sequence of faults").isEqualTo(errors[1]);
    }

    @Test
    void hangNeverSendsAByteUntilTheClientGivesUp() throws Exception {
        SimClient c = start(SimSettings.defaults().withFaults(SimFaults.none().withHangRate(1.0)));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> c.post("/api/chat", ollama("hi"), Duration.ofMillis(800)))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(700));
        assertThat(sim.counters().count(Outcome.HANG)).isEqualTo(1);
        assertThat(sim.counters().held()).isEqualTo(1);
        assertThat(sim.counters().inside()).as("a hung request leaves the in-flight count").isZero();

        // at the socket level: not even a status line
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), sim.port())) {
            String body = "{\"model\":\"sim-model\",\"messages\":[]}";
            s.getOutputStream().write(("POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(600);
            InputStream in = s.getInputStream();
            assertThatThrownBy(in::read).isInstanceOf(java.net.SocketTimeoutException.class);
        }
        assertThat(sim.counters().count(Outcome.HANG)).isEqualTo(2);

        sim.stop();
        waitFor(Duration.ofSeconds(5), () -> sim.counters().held() == 0);
    }

    @Test
    void stallStartsTheStreamThenStops() throws Exception {
        SimClient c = start(SimSettings.defaults().withReplyTokens(200)
                .withFaults(SimFaults.none().withStallRate(1.0)));
        ObjectNode body = ollama("hi").put("stream", true);
        HttpResponse<InputStream> r = c.http().send(c.request("/api/chat", body, Duration.ofSeconds(5)),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        String first = reader.readLine();
        assertThat(json(first).get("done").asBoolean()).isFalse();
        CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                String last = null;
                while ((line = reader.readLine()) != null) {
                    last = line;
                    if (line.contains("\"done\":true")) {
                        return "done";
                    }
                }
                return "eof after " + last;
            } catch (Exception e) {
                return "error: " + e;
            }
        });
        assertThatThrownBy(() -> rest.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(sim.counters().count(Outcome.STALL)).isEqualTo(1);
        assertThat(sim.counters().held()).isEqualTo(1);
        CallRecord call = sim.calls().get(0);
        assertThat(call.outputTokens()).isBetween(1, 199);
        assertThat(call.outcome()).isEqualTo(Outcome.STALL);

        // the stalled request gave its slot back: the next one is served
        sim.setFaults(SimFaults.none());
        assertThat(c.post("/api/chat", ollama("again")).statusCode()).isEqualTo(200);

        // stopping the server drops the stalled connection: the reader ends without "done"
        sim.stop();
        assertThat(rest.get(5, TimeUnit.SECONDS)).isNotEqualTo("done");
    }

    @Test
    void stallOfANonStreamedReplySendsHalfTheBody() throws Exception {
        SimClient c = start(SimSettings.defaults().withFaults(SimFaults.none().withStallRate(1.0)));
        HttpResponse<InputStream> r = c.http().send(c.request("/v1/chat/completions", SimClient.userMessages("hi"),
                Duration.ofSeconds(5)), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        CompletableFuture<byte[]> all = CompletableFuture.supplyAsync(() -> {
            try {
                return r.body().readAllBytes();
            } catch (Exception e) {
                return null;
            }
        });
        assertThatThrownBy(() -> all.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(sim.counters().count(Outcome.STALL)).isEqualTo(1);
        sim.stop();
        byte[] got = all.get(5, TimeUnit.SECONDS);
        assertThat(got).as("the body never completes").isNull();
    }

    @Test
    void dieAfterNServesNThenRefusesConnections() throws Exception {
        SimClient c = start(SimSettings.defaults().withReplyTokens(20)
                .withFaults(SimFaults.none().withDieAfterCalls(3)));
        int port = sim.port();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = c.post("/api/chat", ollama("call " + i));
            assertThat(r.statusCode()).isEqualTo(200);
            if (i == 2) {
                assertThat(r.headers().firstValue("Connection")).hasValue("close");
            }
        }
        assertThatThrownBy(() -> c.post("/api/chat", ollama("call 3")))
                .isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
        // the Nth reply is sent before the server finishes dying: a loaded machine can look in between
        waitFor(Duration.ofSeconds(5), () -> !sim.isRunning());
        assertThat(sim.counters().completed()).isEqualTo(3);

        // a restart comes back on the same port (and would die again after 3 more calls)
        sim.setFaults(SimFaults.none());
        sim.start();
        assertThat(sim.port()).isEqualTo(port);
        assertThat(c.post("/api/chat", ollama("after restart")).statusCode()).isEqualTo(200);
    }

    @Test
    void dieDropsRequestsOnOtherOpenConnections() throws Exception {
        // 2 slots, slow replies: call 1 is in flight when call 2 (the Nth) arrives and kills the server
        SimClient c = start(SimSettings.defaults().withSlots(2).withReplyTokens(50)
                .withTokenLatency(Duration.ofMillis(20)).withFaults(SimFaults.none().withDieAfterCalls(2)));
        CompletableFuture<HttpResponse<String>> first = c.http().sendAsync(
                c.request("/api/chat", ollama("first"), Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofString());
        waitFor(Duration.ofSeconds(5), () -> sim.counters().processing() == 1);
        HttpResponse<String> second = c.post("/completion", obj().put("prompt", "second").put("n_predict", 2));
        assertThat(second.statusCode()).as("the Nth call is answered").isEqualTo(200);
        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(java.io.IOException.class);
        waitFor(Duration.ofSeconds(5), () -> sim.counters().count(Outcome.DROPPED) == 1);
        assertThat(sim.isRunning()).isFalse();
    }

    @Test
    void stopAndStartOnTheSamePort() throws Exception {
        int port = SimulatedModelServer.freePort();
        sim = new SimulatedModelServer(port, SimSettings.defaults().withReplyTokens(10));
        SimClient c = new SimClient(sim.baseUri());
        assertThat(sim.baseUri().toString()).isEqualTo("http://127.0.0.1:" + port);
        // down at startup
        assertThatThrownBy(() -> c.get("/health")).isInstanceOf(ConnectException.class);
        // comes up later
        sim.start();
        assertThat(c.get("/health").statusCode()).isEqualTo(200);
        assertThat(c.post("/api/chat", ollama("one")).statusCode()).isEqualTo(200);
        sim.stop();
        assertThat(sim.isRunning()).isFalse();
        assertThatThrownBy(() -> c.post("/api/chat", ollama("two"))).isInstanceOf(ConnectException.class);
        sim.start();
        assertThat(sim.port()).isEqualTo(port);
        assertThat(c.post("/api/chat", ollama("three")).statusCode()).isEqualTo(200);
        assertThat(sim.counters().completed()).as("counters survive restarts").isEqualTo(2);
    }

    @Test
    void stopDropsRequestsInside() throws Exception {
        SimClient c = start(SimSettings.defaults().withSlots(1).withReplyTokens(100)
                .withTokenLatency(Duration.ofMillis(50)));
        CompletableFuture<HttpResponse<String>> a = c.http().sendAsync(
                c.request("/api/chat", ollama("a"), Duration.ofSeconds(20)), HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> b = c.http().sendAsync(
                c.request("/api/chat", ollama("b"), Duration.ofSeconds(20)), HttpResponse.BodyHandlers.ofString());
        waitFor(Duration.ofSeconds(5), () -> sim.counters().inside() == 2);
        sim.stop();
        assertThatThrownBy(() -> a.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> b.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        waitFor(Duration.ofSeconds(5), () -> sim.counters().count(Outcome.DROPPED) == 2);
        assertThat(sim.counters().inside()).isZero();
        assertThat(sim.counters().processing()).isZero();
    }

    @Test
    void loadingAnswers503OnLlamaAndOpenAiWhileOllamaWaits() throws Exception {
        SimClient c = start(SimSettings.defaults().withReplyTokens(5).withLoadTime(Duration.ofMillis(1500)));
        HttpResponse<String> health = c.get("/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(json(health.body()).get("error").get("message").asText()).isEqualTo("Loading model");
        assertThat(c.post("/completion", obj().put("prompt", "x")).statusCode()).isEqualTo(503);
        assertThat(c.post("/v1/chat/completions", SimClient.userMessages("x")).statusCode()).isEqualTo(503);
        assertThat(json(c.get("/api/ps").body()).get("models")).isEmpty();
        long t0 = System.nanoTime();
        assertThat(c.post("/api/chat", ollama("x")).statusCode()).as("Ollama waits for the load").isEqualTo(200);
        assertThat(c.get("/health").statusCode()).isEqualTo(200);
        assertThat(System.nanoTime() - t0).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(sim.counters().count(Outcome.LOADING)).isEqualTo(2);
    }
}
