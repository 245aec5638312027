package dev.guidesmith.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a running service's {@code /status} as any HTTP client would. */
public final class StatusReader {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;

    public StatusReader(int port) {
        this.base = URI.create("http://127.0.0.1:" + port + "/");
    }

    public URI base() {
        return base;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode status() throws IOException, InterruptedException {
        HttpResponse<String> response = get("status");
        if (response.statusCode() != 200) {
            throw new IOException("GET " + base.resolve("status") + " answered " + response.statusCode() + ": " + response.body());
        }
        return Json.MAPPER.readTree(response.body());
    }
}
