package dev.guidesmith.llm;

import java.io.IOException;
import java.time.Duration;

/** Requests to one model server (see {@link ModelHttp#server}). */
public interface ServerHttp extends AutoCloseable {

    /**
     * Sends a request, a JSON POST or (without a body) a GET, and returns once the status line has
     * arrived, with the body to be read as it comes. Of headers, besides those HTTP itself needs, it
     * sends only the content type, an {@code Accept} for JSON, NDJSON and server-sent events, and the
     * bearer token.
     *
     * @param jsonBody the request's body, or null for a GET
     * @param idle     no byte for this long, before the headers or within the body, fails the
     *                 exchange with {@link IdleTimeoutException} and closes its connection
     * @throws java.net.ConnectException for a refused connection, {@link java.net.SocketTimeoutException}
     *                                   for one not established in time, another IOException when it broke
     */
    HttpReply send(String path, String jsonBody, Duration idle) throws IOException, IdleTimeoutException;

    /** Frees what the requests to this server hold (pooled connections). */
    @Override
    default void close() {
    }
}
