package dev.guidesmith.api;

import dev.guidesmith.support.Json;
import java.io.InputStream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Replies of the {@code /v1} routes. A reply starts from no headers: platform-http sends every
 * message header back as a response header, and the request's (its Authorization among them) have
 * no business in the answer.
 */
public final class ApiReplies {

    private ApiReplies() {
    }

    /** A JSON body. */
    public static void json(Exchange exchange, int status, Object body) {
        Message out = fresh(exchange, status, "application/json");
        out.setBody(Json.compact(body));
    }

    /** Raw bytes, streamed to the client as they are read (platform-http pumps an InputStream body). */
    public static void bytes(Exchange exchange, InputStream content) {
        bytes(exchange, content, "application/octet-stream");
    }

    /** A file's bytes of a given content type, streamed. */
    public static void bytes(Exchange exchange, InputStream content, String contentType) {
        Message out = fresh(exchange, 200, contentType);
        out.setBody(content);
    }

    private static Message fresh(Exchange exchange, int status, String contentType) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, contentType);
        return out;
    }
}
