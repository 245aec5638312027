package dev.guidesmith.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real llama.cpp server (the portable build in {@code ../shared/tools}) serving the tiny real
 * model, on a free loopback port, with {@code --metrics}: what a user's llama-server does with our
 * calls (its slots, its prompt cache, its context), counted by the server itself.
 */
public final class LlamaServerProcess implements AutoCloseable {

    public static final Path BINARY = Path.of("../shared/tools/llama-server");
    public static final Path MODEL = Path.of("../shared/models/stories260K.gguf");
    private static final Pattern PROMPT_TOKENS_TOTAL = Pattern.compile("(?m)^llamacpp:prompt_tokens_total\\s+([0-9.e+]+)");

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LlamaServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Whether the binary and the model are here; tests skip, saying why, when not. */
    public static boolean available() {
        return Files.isExecutable(BINARY) && Files.exists(MODEL);
    }

    public static String whyUnavailable() {
        return "the real llama-server (" + BINARY + ") or the tiny model (" + MODEL + ") is not here"
                + " (see shared/tools/README.md and shared/models/README.md)";
    }

    /**
     * Starts a server and waits until it has loaded the model.
     *
     * @param slots   its parallel slots ({@code -np})
     * @param context its whole context ({@code -c}), shared by the slots
     * @param log     where its output goes
     */
    public static LlamaServerProcess start(int slots, int context, Path log, String... extraArgs) throws Exception {
        int port = ServiceUnderTest.freePort();
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-m", MODEL.toString(),
                "-c", Integer.toString(context), "-np", Integer.toString(slots), "-t", "1", "--metrics",
                "--host", "127.0.0.1", "--port", Integer.toString(port)));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LlamaServerProcess server = new LlamaServerProcess(process, port);
        try {
            ServiceUnderTest.await("llama-server on port " + port + " to load the model", Duration.ofSeconds(60), server::healthy);
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public boolean healthy() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url() + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How many of its slots are processing a request now, from its own {@code /slots}. */
    public int busySlots() throws IOException, InterruptedException {
        JsonNode slots = Json.MAPPER.readTree(get("/slots"));
        int busy = 0;
        for (JsonNode slot : slots) {
            if (slot.path("is_processing").asBoolean(false)) {
                busy++;
            }
        }
        return busy;
    }

    /** Prompt tokens the server evaluated (those it did not take from its prompt cache), from {@code /metrics}. */
    public long promptTokensEvaluated() throws IOException, InterruptedException {
        Matcher matcher = PROMPT_TOKENS_TOTAL.matcher(get("/metrics"));
        if (!matcher.find()) {
            throw new IOException("llama-server's /metrics has no llamacpp:prompt_tokens_total");
        }
        return (long) Double.parseDouble(matcher.group(1));
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            throw new IOException("llama-server answered " + path + " with HTTP " + reply.statusCode() + ": " + reply.body());
        }
        return reply.body();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
