package dev.guidesmith.llm;

import java.io.IOException;

/** A response whose body is read line by line as it arrives (NDJSON, server-sent events, or plain JSON). */
public interface HttpReply extends AutoCloseable {

    int status();

    /**
     * The next line of the body, or null at its end.
     *
     * @throws IdleTimeoutException no byte within the idle timeout of the request; the connection is closed
     */
    String nextLine() throws IOException, IdleTimeoutException;

    /**
     * Breaks off the exchange unless its body was read to the end, closing its connection, so a read
     * blocked on it returns with an IOException. Safe to call from another thread (the call's deadline).
     */
    void abort();

    /** Done with the reply: aborts it unless it was read to the end (then its connection is reused). */
    @Override
    void close();
}
