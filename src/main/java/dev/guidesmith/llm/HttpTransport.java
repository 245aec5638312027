package dev.guidesmith.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * HTTP for one endpoint, shared by the API clients: JSON requests, streamed replies with the idle
 * and overall timeouts, health-check GETs, and the classification of HTTP errors into
 * {@link FailureKind}s with messages that say what to do.
 */
final class HttpTransport {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // model servers speak HTTP/1.1; skip the h2c upgrade dance
            .build();

    private final EndpointSettings endpoint;
    private final CallTimeouts timeouts;

    HttpTransport(EndpointSettings endpoint, CallTimeouts timeouts) {
        this.endpoint = endpoint;
        this.timeouts = timeouts;
    }

    EndpointSettings endpoint() {
        return endpoint;
    }

    /** Posts JSON and returns the open reply stream; a non-2xx status becomes a classified exception. */
    Reading post(String path, Object body) throws ModelCallException {
        HttpRequest request = request(path)
                .header("Content-Type", "application/json")
                .header("Accept", "application/x-ndjson, text/event-stream, application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.compact(body)))
                .build();
        long deadline = System.nanoTime() + timeouts.call().toNanos();
        try {
            LineStream stream = LineStream.open(CLIENT, request, timeouts.idle().toMillis());
            Reading reading = new Reading(stream, deadline);
            int status = stream.status();
            if (status / 100 != 2) {
                String error = stream.remainder(timeouts.idle().toMillis());
                stream.close();
                throw classify(status, error);
            }
            return reading;
        } catch (IOException e) {
            throw unreachable(e);
        } catch (LineStream.IdleTimeoutException e) {
            throw idle(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelCallException(FailureKind.UNREACHABLE, endpoint.name(), "interrupted while calling " + endpoint.name());
        }
    }

    /** One line or event of a streamed reply, as JSON; a line that is not JSON is the server's error. */
    JsonNode json(String payload) throws ModelCallException {
        try {
            return Json.MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new ModelCallException(FailureKind.SERVER_ERROR, endpoint.name(), endpoint.name()
                    + " sent a line that is not JSON: " + (payload.length() > 200 ? payload.substring(0, 200) + "…" : payload));
        }
    }

    /**
     * The model a reply says wrote it (a single-model server answers any name with its own model),
     * else the configured name.
     */
    String reportedModel(JsonNode reply) {
        String reported = reply.path("model").asText("");
        return reported.isBlank() ? endpoint.model() : reported;
    }

    /** A GET for health checks and server facts; null on 404 so callers can try another path. */
    JsonNode getJson(String path) throws ModelCallException {
        return exchangeJson(path, request(path).timeout(timeouts.probe()).GET().build());
    }

    /** A short POST with a JSON answer (not a generation); null on 404. */
    JsonNode postJson(String path, Object body) throws ModelCallException {
        return exchangeJson(path, request(path).timeout(timeouts.idle())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.compact(body))).build());
    }

    private JsonNode exchangeJson(String path, HttpRequest request) throws ModelCallException {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return null;
            }
            if (response.statusCode() / 100 != 2) {
                throw classify(response.statusCode(), response.body());
            }
            return Json.MAPPER.readTree(response.body());
        } catch (HttpTimeoutException e) {
            throw new ModelCallException(FailureKind.IDLE_TIMEOUT, endpoint.name(),
                    endpoint.name() + " did not answer " + path + " in time");
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelCallException(FailureKind.UNREACHABLE, endpoint.name(), "interrupted while probing " + endpoint.name());
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint.url() + path));
        if (endpoint.apiKey() != null) {
            builder.header("Authorization", "Bearer " + endpoint.apiKey());
        }
        return builder;
    }

    ModelCallException classify(int status, String body) {
        String text = body == null ? "" : body.length() > 500 ? body.substring(0, 500) + "…" : body;
        String lower = text.toLowerCase(Locale.ROOT);
        String where = endpoint.name() + " (" + endpoint.url() + ") answered HTTP " + status + ": " + text;
        if ((status == 404 || status == 400) && lower.contains("model") && (lower.contains("not found")
                || lower.contains("does not exist") || lower.contains("model_not_found"))) {
            return new ModelCallException(FailureKind.MODEL_NOT_FOUND, endpoint.name(), where + " — the model '"
                    + endpoint.model() + "' is not on this server: " + modelFix());
        }
        if (status == 400 && (lower.contains("context") || lower.contains("too long") || lower.contains("too many tokens"))) {
            return new ModelCallException(FailureKind.CONTEXT_OVERFLOW, endpoint.name(), where);
        }
        if (status == 401 || status == 403) {
            return new ModelCallException(FailureKind.UNAUTHORIZED, endpoint.name(), where
                    + " — check llm.endpoint." + endpoint.name() + ".api-key");
        }
        if (status == 429 || status == 503) {
            return new ModelCallException(FailureKind.BUSY, endpoint.name(), where);
        }
        if (status >= 500) {
            return new ModelCallException(FailureKind.SERVER_ERROR, endpoint.name(), where);
        }
        return new ModelCallException(FailureKind.BAD_REQUEST, endpoint.name(), where);
    }

    private String modelFix() {
        // Ollama's servers get models with 'ollama pull'; the others list what they serve at /v1/models
        if (OllamaModelApi.NAME.equals(endpoint.api().name())) {
            return "run 'ollama pull " + endpoint.model() + "' on that machine, or change llm.endpoint."
                    + endpoint.name() + ".model to one that 'ollama list' shows";
        }
        return "set llm.endpoint." + endpoint.name() + ".model to a model the server lists at /v1/models";
    }

    private ModelCallException unreachable(IOException e) {
        String reason = e instanceof ConnectException || e instanceof ClosedChannelException ? "connection refused"
                : e instanceof HttpConnectTimeoutException ? "connection timed out"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ModelCallException(FailureKind.UNREACHABLE, endpoint.name(), endpoint.name() + " at " + endpoint.url()
                + " is unreachable (" + reason + "): is the server running and is llm.endpoint." + endpoint.name()
                + ".url right?", e);
    }

    private ModelCallException idle(LineStream.IdleTimeoutException e) {
        return new ModelCallException(FailureKind.IDLE_TIMEOUT, endpoint.name(), endpoint.name() + " sent " + e.getMessage()
                + " (llm.idle-timeout-seconds=" + timeouts.idle().toSeconds() + "); the call moves elsewhere");
    }

    /** The body of a successful call, line by line, within the call's deadline. */
    final class Reading implements AutoCloseable {
        private final LineStream stream;
        private final long deadline;

        private Reading(LineStream stream, long deadline) {
            this.stream = stream;
            this.deadline = deadline;
        }

        /** The next line, or null at the end of the body. */
        String nextLine() throws ModelCallException {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                stream.close();
                throw new ModelCallException(FailureKind.CALL_TIMEOUT, endpoint.name(), endpoint.name()
                        + " did not finish within llm.call-timeout-seconds=" + timeouts.call().toSeconds());
            }
            try {
                return stream.nextLine(Math.min(left, timeouts.idle().toMillis()));
            } catch (IOException e) {
                throw unreachable(e);
            } catch (LineStream.IdleTimeoutException e) {
                if (System.nanoTime() >= deadline) {
                    throw new ModelCallException(FailureKind.CALL_TIMEOUT, endpoint.name(), endpoint.name()
                            + " did not finish within llm.call-timeout-seconds=" + timeouts.call().toSeconds());
                }
                throw idle(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stream.close();
                throw new ModelCallException(FailureKind.UNREACHABLE, endpoint.name(), "interrupted while reading from "
                        + endpoint.name());
            }
        }

        /** After the reply's last line: reads to the end of the body so the connection can be reused. */
        void drain() throws ModelCallException {
            int lines = 0;
            while (lines++ < 100 && nextLine() != null) {
                // trailing events after the final one (usage, [DONE]) carry nothing we need
            }
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}
