package dev.guidesmith.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One life of the server, from {@code start()} to {@code stop()} or death: the listening HTTP server, its threads,
 * its slots and what they hold in their prompt cache. A restart makes a new run on the same port, with empty caches,
 * as a restarted process would.
 */
final class ServerRun {

    private static final Logger LOG = LoggerFactory.getLogger(ServerRun.class);
    private static final int BACKLOG = 1024;

    final String name;
    final int port;
    final long startedNanos = System.nanoTime();
    /** Generation requests received in this run (the die-after-N count). */
    final AtomicLong generationCalls = new AtomicLong();
    /** Set when the die-after-N fault has been triggered. */
    final AtomicBoolean dying = new AtomicBoolean();

    private final HttpServer http;
    private final ExecutorService executor;
    private final SlotPool slots;
    private final SharedPace pace;
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicBoolean killed = new AtomicBoolean();
    private final long loadNanos;

    ServerRun(String name, int requestedPort, int slots, boolean promptCache, Duration loadTime, double scaling)
            throws IOException {
        this.name = name;
        this.loadNanos = loadTime.toNanos();
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), BACKLOG);
        this.port = http.getAddress().getPort();
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sim-" + name + "-" + port + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        this.slots = new SlotPool(slots, promptCache);
        this.pace = new SharedPace(scaling);
    }

    /** Routes an exact path (the JDK server matches prefixes) to a handler; anything else under it is a 404. */
    void route(String path, HttpHandler handler) {
        http.createContext(path, ex -> {
            try {
                if (!ex.getRequestURI().getPath().equals(path) && !path.equals("/")) {
                    HttpIo.sendText(ex, 404, "404 page not found");
                    return;
                }
                handler.handle(ex);
            } catch (DropConnection e) {
                throw e;
            } catch (IOException e) {
                LOG.debug("{}: {} {} failed: {}", name, ex.getRequestMethod(), path, e.toString());
                throw new DropConnection();
            } catch (RuntimeException e) {
                LOG.warn("{}: {} {} failed", name, ex.getRequestMethod(), path, e);
                throw new DropConnection();
            } finally {
                if (killed.get()) {
                    Thread.interrupted(); // the pool is going away; do not leak the flag to the JDK server
                }
            }
        });
    }

    void start() {
        http.start();
    }

    boolean alive() {
        return !killed.get();
    }

    /** Whether the model is still loading (the first {@code loadTime} after start). */
    boolean loading() {
        return System.nanoTime() - startedNanos < loadNanos;
    }

    void awaitLoaded() throws InterruptedException {
        long left = loadNanos - (System.nanoTime() - startedNanos);
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /**
     * Waits for a free slot, first come first served; of several free ones, takes the one that holds most of this
     * prompt (see {@link SlotPool}).
     */
    int takeSlot(String promptText) throws InterruptedException {
        int slot = slots.take(promptText);
        pace.started();
        return slot;
    }

    void releaseSlot(int slot) {
        pace.ended();
        slots.release(slot);
    }

    /** How fast requests progress while they share the server (see {@link SimSettings#scaling()}). */
    SharedPace pace() {
        return pace;
    }

    /** What each slot holds in its prompt cache. */
    SlotPrompts slotPrompts() {
        return slots.prompts();
    }

    int slots() {
        return slots.size();
    }

    boolean slotBusy(int slot) {
        return slots.busy(slot);
    }

    /** Holds a hung or stalled request until the run ends or {@code max} passes. */
    void hold(Duration max) {
        try {
            released.await(max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes the listening socket, keeping open connections, and returns once a connect to the port is refused (or
     * after 2 s). Used by the die-after-N fault before it answers the Nth request.
     */
    void stopListening() {
        Thread closer = new Thread(() -> http.stop(3600), "sim-" + name + "-closing");
        closer.setDaemon(true);
        closer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(address, 200);
            } catch (ConnectException refused) {
                return;
            } catch (IOException other) {
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn("{}: port {} still accepts connections 2 s after it was closed", name, port);
    }

    /**
     * Ends the run: stops listening, drops every open connection, releases held requests and interrupts every request
     * thread (requests waiting for a slot or mid-reply end as {@link Outcome#DROPPED}).
     */
    void kill() {
        if (!killed.compareAndSet(false, true)) {
            return;
        }
        http.stop(0);
        released.countDown();
        executor.shutdownNow();
        LOG.info("{}: stopped listening on port {}", name, port);
    }

    /** Kills the run from another thread (a handler thread must not wait for its own pool). */
    void killAsync() {
        Thread t = new Thread(this::kill, "sim-" + name + "-kill");
        t.setDaemon(true);
        t.start();
    }
}
