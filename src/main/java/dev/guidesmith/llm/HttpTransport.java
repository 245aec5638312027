package dev.guidesmith.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP for one endpoint, shared by the API clients: JSON requests, streamed replies with the idle
 * and overall timeouts, health-check GETs, and the classification of HTTP errors into
 * {@link FailureKind}s with messages that say what to do. The bytes go through a {@link ModelHttp}.
 */
final class HttpTransport {

    /** Lines of an error body kept for the message. */
    private static final int ERROR_LINES = 200;

    private final EndpointSettings endpoint;
    private final CallTimeouts timeouts;
    private final ServerHttp http;

    HttpTransport(EndpointSettings endpoint, ClientWiring wiring) {
        this.endpoint = endpoint;
        this.timeouts = wiring.timeouts();
        this.http = wiring.http().server(endpoint.url(), endpoint.apiKey(), timeouts.connect());
    }

    EndpointSettings endpoint() {
        return endpoint;
    }

    /** Posts JSON and returns the open reply stream; a non-2xx status becomes a classified exception. */
    Reading post(String path, Object body) throws ModelCallException {
        long deadline = System.nanoTime() + timeouts.call().toNanos();
        try {
            HttpReply reply = http.send(path, Json.compact(body), timeouts.idle());
            if (reply.status() / 100 != 2) {
                try (reply) {
                    throw classify(reply.status(), remainder(reply, ERROR_LINES));
                }
            }
            return new Reading(reply, new CallDeadline(deadline, reply));
        } catch (IOException e) {
            throw unreachable(e);
        } catch (IdleTimeoutException e) {
            throw idle(e);
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
        return exchangeJson(path, null, timeouts.probe());
    }

    /** A short POST with a JSON answer (not a generation); null on 404. */
    JsonNode postJson(String path, Object body) throws ModelCallException {
        return exchangeJson(path, Json.compact(body), timeouts.idle());
    }

    private JsonNode exchangeJson(String path, String body, Duration timeout) throws ModelCallException {
        try (HttpReply reply = http.send(path, body, timeout)) {
            String text = remainder(reply, Integer.MAX_VALUE);
            if (reply.status() == 404) {
                return null;
            }
            if (reply.status() / 100 != 2) {
                throw classify(reply.status(), text);
            }
            return Json.MAPPER.readTree(text);
        } catch (IdleTimeoutException e) {
            throw new ModelCallException(FailureKind.IDLE_TIMEOUT, endpoint.name(),
                    endpoint.name() + " did not answer " + path + " in time");
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** What is left of a body (an error message, usually), at most {@code maxLines} lines. */
    private static String remainder(HttpReply reply, int maxLines) throws IOException, IdleTimeoutException {
        StringBuilder body = new StringBuilder();
        String line;
        int lines = 0;
        while (lines++ < maxLines && (line = reply.nextLine()) != null) {
            body.append(line).append('\n');
        }
        return body.toString().strip();
    }

    /** An error answer as a classified failure that keeps the server's status and body. */
    ModelCallException classify(int status, String body) {
        String text = body == null ? "" : body.length() > 500 ? body.substring(0, 500) + "…" : body;
        String lower = text.toLowerCase(Locale.ROOT);
        String where = endpoint.name() + " (" + endpoint.url() + ") answered HTTP " + status + ": " + text;
        if ((status == 404 || status == 400) && lower.contains("model") && (lower.contains("not found")
                || lower.contains("does not exist") || lower.contains("model_not_found"))) {
            return new ModelCallException(FailureKind.MODEL_NOT_FOUND, endpoint.name(), where + " — the model '"
                    + endpoint.model() + "' is not on this server: " + modelFix(), status, body);
        }
        if (status == 400 && (lower.contains("context") || lower.contains("too long") || lower.contains("too many tokens"))) {
            return new ModelCallException(FailureKind.CONTEXT_OVERFLOW, endpoint.name(), where, status, body);
        }
        if (status == 401 || status == 403) {
            return new ModelCallException(FailureKind.UNAUTHORIZED, endpoint.name(), where
                    + " — check llm.endpoint." + endpoint.name() + ".api-key", status, body);
        }
        if (status == 429 || status == 503) {
            return new ModelCallException(FailureKind.BUSY, endpoint.name(), where, status, body);
        }
        if (status >= 500) {
            return new ModelCallException(FailureKind.SERVER_ERROR, endpoint.name(), where, status, body);
        }
        return new ModelCallException(FailureKind.BAD_REQUEST, endpoint.name(), where, status, body);
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
        String reason = e instanceof ConnectException ? "connection refused"
                : e instanceof SocketTimeoutException ? "connection timed out"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ModelCallException(FailureKind.UNREACHABLE, endpoint.name(), endpoint.name() + " at " + endpoint.url()
                + " is unreachable (" + reason + "): is the server running and is llm.endpoint." + endpoint.name()
                + ".url right?", e);
    }

    private ModelCallException idle(IdleTimeoutException e) {
        return new ModelCallException(FailureKind.IDLE_TIMEOUT, endpoint.name(), endpoint.name() + " sent " + e.getMessage()
                + " (llm.idle-timeout-seconds=" + timeouts.idle().toSeconds() + "); the call moves elsewhere");
    }

    private ModelCallException callTimeout() {
        return new ModelCallException(FailureKind.CALL_TIMEOUT, endpoint.name(), endpoint.name()
                + " did not finish within llm.call-timeout-seconds=" + timeouts.call().toSeconds());
    }

    /** The body of a successful call, line by line, within the call's deadline. */
    final class Reading implements AutoCloseable {
        private final HttpReply reply;
        private final CallDeadline deadline;

        private Reading(HttpReply reply, CallDeadline deadline) {
            this.reply = reply;
            this.deadline = deadline;
        }

        /** The next line, or null at the end of the body. */
        String nextLine() throws ModelCallException {
            if (deadline.passed()) {
                reply.abort();
                throw callTimeout();
            }
            try {
                return reply.nextLine();
            } catch (IOException e) {
                throw deadline.passed() ? callTimeout() : unreachable(e);
            } catch (IdleTimeoutException e) {
                throw deadline.passed() ? callTimeout() : idle(e);
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
            deadline.close();
            reply.close();
        }
    }

    /** Frees what the requests to this endpoint hold. */
    void close() {
        http.close();
    }
}
