package dev.guidesmith.llm;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A streamed HTTP response read line by line (NDJSON or SSE) with an idle timeout: if no byte
 * arrives for that long, headers included, reading fails with {@link IdleTimeoutException} and the
 * exchange is cancelled, which closes the connection so a hung server cannot hold a thread.
 */
final class LineStream implements HttpReply {

    private static final Object END = new Object();

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private final CompletableFuture<HttpResponse<Void>> exchange;
    private final long idleMillis;
    private volatile Flow.Subscription subscription;
    private volatile boolean ended;

    private LineStream(HttpClient client, HttpRequest request, long idleMillis) {
        this.idleMillis = idleMillis;
        this.exchange = client.sendAsync(request, info -> {
            status.complete(info.statusCode());
            return BodySubscribers.fromLineSubscriber(new Subscriber());
        });
        exchange.whenComplete((response, error) -> {
            if (error != null) {
                status.completeExceptionally(error);
                events.offer(error);
            }
        });
    }

    /** Sends the request and waits for the status line; the body is then read with {@link #nextLine}. */
    static LineStream open(HttpClient client, HttpRequest request, long idleMillis)
            throws IOException, IdleTimeoutException, InterruptedException {
        LineStream stream = new LineStream(client, request, idleMillis);
        try {
            stream.status.get(idleMillis, TimeUnit.MILLISECONDS);
            return stream;
        } catch (TimeoutException e) {
            stream.close();
            throw new IdleTimeoutException("no response headers within " + idleMillis + " ms");
        } catch (ExecutionException e) {
            stream.close();
            throw asIOException(e.getCause());
        } catch (InterruptedException e) {
            stream.close();
            throw e;
        }
    }

    @Override
    public int status() {
        return status.join();
    }

    /** The next line, or null at the end of the body. */
    @Override
    public String nextLine() throws IOException, IdleTimeoutException, InterruptedException {
        if (ended) {
            return null;
        }
        Object event = events.poll(idleMillis, TimeUnit.MILLISECONDS);
        if (event == null) {
            close();
            ended = true;
            throw new IdleTimeoutException("no data for " + idleMillis + " ms");
        }
        if (event == END) {
            ended = true;
            return null;
        }
        if (event instanceof Throwable error) {
            ended = true;
            throw asIOException(error);
        }
        return (String) event;
    }

    /**
     * Abandons the exchange unless its body was read to the end. Cancelling a finished exchange
     * could close a connection the client has already pooled for the next request.
     */
    @Override
    public void abort() {
        close();
    }

    @Override
    public void close() {
        if (ended) {
            return;
        }
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        exchange.cancel(true);
    }

    private static IOException asIOException(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof ExecutionException || cause instanceof java.util.concurrent.CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    }

    private final class Subscriber implements Flow.Subscriber<String> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            events.offer(line);
        }

        @Override
        public void onError(Throwable error) {
            events.offer(error);
        }

        @Override
        public void onComplete() {
            events.offer(END);
        }
    }
}
