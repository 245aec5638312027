package dev.guidesmith.camel;

import dev.guidesmith.llm.HttpReply;
import dev.guidesmith.llm.IdleTimeoutException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.spi.UnitOfWork;
import org.apache.camel.support.UnitOfWorkHelper;
import org.apache.hc.core5.http.io.EofSensorInputStream;

/**
 * The reply of one camel-http exchange, its body read line by line straight from the connection
 * (the endpoint has {@code disableStreamCache=true}). The socket's read timeout is the idle timeout.
 * The exchange's unit of work ends at {@link #close}, not when the producer returned: ending it makes
 * camel-http consume the rest of the body.
 */
final class CamelHttpReply implements HttpReply {

    private final Exchange exchange;
    private final UnitOfWork work;
    private final int status;
    private final InputStream body;
    private final BufferedReader lines;
    private final long idleMillis;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean ended;

    CamelHttpReply(Exchange exchange, UnitOfWork work, long idleMillis) {
        this.exchange = exchange;
        this.work = work;
        this.idleMillis = idleMillis;
        this.status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        this.body = exchange.getMessage().getBody(InputStream.class);
        this.lines = body == null ? null : new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        this.ended = body == null;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String nextLine() throws IOException, IdleTimeoutException {
        if (ended) {
            return null;
        }
        try {
            String line = lines.readLine();
            if (line == null) {
                ended = true; // the connection went back to the pool at the end of the body
            }
            return line;
        } catch (SocketTimeoutException e) {
            abort();
            throw new IdleTimeoutException("no data for " + idleMillis + " ms");
        }
    }

    @Override
    public void abort() {
        if (ended) {
            return;
        }
        ended = true;
        try {
            if (body instanceof EofSensorInputStream connection) {
                connection.abort(); // closes the connection instead of reading the body to its end
            } else {
                body.close();
            }
        } catch (IOException e) {
            // the connection is gone either way
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            abort();
            UnitOfWorkHelper.doneUow(work, exchange);
        }
    }
}
