package dev.guidesmith.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a running service's status page, /status and /metrics as a browser or Prometheus would. */
public final class StatusClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public StatusClient(int port) {
        this.base = URI.create("http://127.0.0.1:" + port + "/");
    }

    public URI base() {
        return base;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode status() throws IOException, InterruptedException {
        HttpResponse<String> response = get("status");
        assertThat(response.statusCode()).as("GET /status").isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        return Json.MAPPER.readTree(response.body());
    }

    public Metrics metrics() throws IOException, InterruptedException {
        HttpResponse<String> response = get("metrics");
        assertThat(response.statusCode()).as("GET /metrics").isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        return new Metrics(response.body());
    }

    /** Prometheus text exposition, read line by line. */
    public record Metrics(String text) {

        /**
         * The value of the sample whose name is {@code name} and whose labels include every one of
         * {@code labels} (written {@code key="value"}).
         */
        public double value(String name, String... labels) {
            for (String line : text.split("\n")) {
                if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                    continue;
                }
                String series = line.substring(0, line.lastIndexOf(' '));
                boolean all = true;
                for (String label : labels) {
                    all &= series.contains(label);
                }
                if (all) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            throw new AssertionError("No sample " + name + " with " + String.join(",", labels) + " in /metrics");
        }
    }
}
