package dev.guidesmith.camel;

import org.apache.hc.core5.http.ConnectionReuseStrategy;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * A connection that carried a streamed reply (server-sent events, NDJSON) is not reused.
 * llama-server closes it after the stream without saying so, and the next request sent on it failed
 * as "the target server failed to respond" (about every other call on a busy run). A new connection
 * per model call costs a handshake, nothing next to the call.
 */
final class NoReuseAfterStream implements ConnectionReuseStrategy {

    static final NoReuseAfterStream INSTANCE = new NoReuseAfterStream();

    private NoReuseAfterStream() {
    }

    @Override
    public boolean keepAlive(HttpRequest request, HttpResponse response, HttpContext context) {
        Header type = response.getFirstHeader("Content-Type");
        if (type != null && (type.getValue().startsWith("text/event-stream") || type.getValue().startsWith("application/x-ndjson"))) {
            return false;
        }
        return DefaultConnectionReuseStrategy.INSTANCE.keepAlive(request, response, context);
    }
}
