package dev.guidesmith.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.support.Json;
import java.io.IOException;
import dev.guidesmith.testkit.StatusReader;
import java.net.URI;
import java.net.http.HttpResponse;

/**
 * Reads a running service's status page, /status and /metrics as a browser or Prometheus would,
 * checking what each answer must be (status code, content type).
 */
public final class StatusClient {

    private final StatusReader reader;

    public StatusClient(int port) {
        this.reader = new StatusReader(port);
    }

    public URI base() {
        return reader.base();
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return reader.get(path);
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
