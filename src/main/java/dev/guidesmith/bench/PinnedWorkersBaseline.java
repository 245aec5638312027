package dev.guidesmith.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guidesmith.support.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The design guidesmith replaces, as the seeds describe it: a pool of worker threads, one per slot
 * of the fleet, each pinned to a server round-robin; a worker takes a problem from the queue and
 * runs all its stages on its own server, one call after the other. Kept only as the benchmark's
 * point of comparison.
 */
final class PinnedWorkersBaseline {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private PinnedWorkersBaseline() {
    }

    /** Runs every problem's stages through workers pinned to {@code servers}; returns failed calls. */
    static long run(List<URI> servers, String model, int workers, int problems, int stages) throws InterruptedException {
        BlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
        for (int i = 1; i <= problems; i++) {
            queue.add(i);
        }
        AtomicLong failures = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(workers);
        for (int w = 0; w < workers; w++) {
            URI server = servers.get(w % servers.size());
            Thread worker = new Thread(() -> {
                try {
                    Integer problem;
                    while ((problem = queue.poll()) != null) {
                        for (int stage = 0; stage < stages; stage++) {
                            if (!call(server, model, "Problem " + problem + ", stage " + stage)) {
                                failures.incrementAndGet();
                            }
                        }
                    }
                } finally {
                    finished.countDown();
                }
            }, "pinned-worker-" + w);
            worker.start();
        }
        finished.await();
        return failures.get();
    }

    private static boolean call(URI server, String model, String prompt) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", model);
        body.put("stream", false);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/api/chat"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.compact(body)))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
