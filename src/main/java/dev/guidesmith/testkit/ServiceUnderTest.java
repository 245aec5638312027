package dev.guidesmith.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A running guidesmith service whose folders live under one root: what a user does with it (drop
 * files into the inbox) and sees of it (guides, failure records, {@code /status}).
 */
public abstract class ServiceUnderTest implements AutoCloseable {

    private final Path root;
    private final int httpPort;

    protected ServiceUnderTest(Path root, Map<String, String> settings) {
        this.root = root;
        this.httpPort = Integer.parseInt(settings.get("pipeline.http.port"));
    }

    /**
     * The settings of a service under {@code root}: its inbox, output and work folders, quick inbox
     * polling, and its status server on a free port. {@code overrides} win (as {@code -D} would).
     */
    public static Map<String, String> settings(Path root, Map<String, String> overrides) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("pipeline.inbox", root.resolve("inbox").toString());
        settings.put("pipeline.output", root.resolve("output").toString());
        settings.put("pipeline.work", root.resolve("work").toString());
        settings.put("pipeline.inbox.poll-ms", "100");
        settings.put("pipeline.inbox.settle-ms", "200");
        settings.put("pipeline.progress.interval", "5s");
        settings.put("camel.main.shutdown-timeout", "10");
        settings.put("pipeline.http.port", Integer.toString(freePort()));
        settings.putAll(overrides);
        return settings;
    }

    /** A port nothing listens on now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public Path root() {
        return root;
    }

    public Path inbox() {
        return root.resolve("inbox");
    }

    public Path output() {
        return root.resolve("output");
    }

    public Path work() {
        return root.resolve("work");
    }

    /** The port of its status page, {@code /status} and {@code /metrics}; 0 when it has none. */
    public int httpPort() {
        return httpPort;
    }

    /** Drops a file into the inbox the way a user would: written elsewhere, then moved in. */
    public Path drop(Path file, String name) throws IOException {
        Files.createDirectories(inbox());
        Path staging = root.resolve("staging-" + name);
        Files.copy(file, staging);
        return Files.move(staging, inbox().resolve(name));
    }

    public Path drop(String content, String name) throws IOException {
        Files.createDirectories(inbox());
        Path staging = root.resolve("staging-" + name);
        Files.writeString(staging, content);
        return Files.move(staging, inbox().resolve(name));
    }

    /** The guides in the output folder ({@code question_*.md}; not the index, nor a file being written). */
    public List<Path> guides() throws IOException {
        if (!Files.isDirectory(output())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(output())) {
            return files.filter(f -> f.getFileName().toString().matches("question_.*\\.md")).sorted().toList();
        }
    }

    public long guideCount() throws IOException {
        return guides().size();
    }

    /** Failure records of guide jobs ({@code <work>/failed/*.json}). */
    public long failureCount() throws IOException {
        Path failed = work().resolve("failed");
        if (!Files.isDirectory(failed)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(failed)) {
            return files.filter(f -> f.toString().endsWith(".json")).count();
        }
    }

    /** {@code GET /status}. */
    public JsonNode status() throws IOException, InterruptedException {
        if (httpPort == 0) {
            throw new IllegalStateException("This service runs without its status server (pipeline.http.port=0)");
        }
        return new StatusReader(httpPort).status();
    }

    /**
     * The node's role as {@code /status} says ({@code single}, {@code leader}, {@code standby}); empty
     * while it is starting: not listening yet (refused), or listening before its status route is there (404).
     */
    public String role() throws InterruptedException {
        try {
            return status().path("node").path("role").asText("");
        } catch (IOException starting) {
            return "";
        }
    }

    /** Every accepted job is settled, as {@code /status} says (false while the service is not listening yet). */
    public boolean jobsSettled() throws IOException, InterruptedException {
        try {
            return status().path("activeJobs").asInt(-1) == 0;
        } catch (ConnectException starting) {
            return false;
        }
    }

    /** Waits until the dropped file was taken (accepted or rejected) and every job is settled. */
    public void awaitSettled(String droppedName, Duration timeout) throws Exception {
        awaitSettled(droppedName, timeout, () -> { });
    }

    /** The same, running {@code meanwhile} at every look (a benchmark samples its heap). */
    public void awaitSettled(String droppedName, Duration timeout, Runnable meanwhile) throws Exception {
        await(droppedName + " to be taken and every job settled", timeout, () -> {
            meanwhile.run();
            return (Files.exists(inbox().resolve(".done").resolve(droppedName))
                    || Files.exists(inbox().resolve(".rejected").resolve(droppedName)))
                    && jobsSettled();
        });
    }

    public static void await(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** A condition that may read files or ask the service. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }
}
