package dev.guidesmith.sim;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * A simulated LLM server for tests, benchmarks and the demo. One instance speaks Ollama ({@code /api/...}), the
 * OpenAI-compatible API ({@code /v1/...}) and llama-server's native API ({@code /completion}, {@code /health},
 * {@code /props}, {@code /slots}) on one loopback port, with a fixed number of slots, a per-slot prompt cache, a
 * simulated token latency, injectable faults (see {@link SimFaults}) and counters to assert on (see
 * {@link SimCounters}).
 *
 * <pre>{@code
 * try (SimulatedModelServer sim = new SimulatedModelServer(SimSettings.defaults().withSlots(2)).start()) {
 *     URI base = sim.baseUri();             // http://127.0.0.1:<port>
 *     ... drive a client against base ...
 *     assertThat(sim.counters().maxInside()).isLessThanOrEqualTo(2);
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #stop()} behaves like a killed process (connections dropped, later connects refused);
 * {@link #start()} again brings it back on the same port.
 */
public final class SimulatedModelServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedModelServer.class);
    private static final String NODELAY = "sun.net.httpserver.nodelay";
    private static final java.util.Set<String> VALUED_OPTIONS = java.util.Set.of("--port", "--slots",
            "--token-latency-ms", "--prompt-token-latency-ms", "--speed", "--reply-tokens", "--context", "--model",
            "--name", "--seed", "--load-ms", "--error-rate", "--busy-rate", "--hang-rate", "--stall-rate",
            "--die-after", "--broken-code-rate");

    static {
        // The JDK server writes a response's headers and body separately; with Nagle on, each small reply then
        // waits for the client's delayed ACK (~40 ms a call). The JDK reads this once, at the first HttpServer.
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
    }

    private final SimSettings settings;
    private final SimCounters counters;
    private final GenerationEngine engine;
    private final List<ApiHandler> apis;
    private volatile SimFaults faults;
    private volatile int port;
    private ServerRun run;

    /** A server on a free port chosen at the first {@link #start()} (and kept for restarts). Not started yet. */
    public SimulatedModelServer(SimSettings settings) {
        this(0, settings);
    }

    /** A server on {@code port} (0 = a free port chosen at the first start). Not started yet. */
    public SimulatedModelServer(int port, SimSettings settings) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.settings = Objects.requireNonNull(settings, "settings");
        this.port = port;
        this.faults = settings.faults();
        this.counters = new SimCounters(settings.recordLimit());
        this.engine = new GenerationEngine(this, settings, counters);
        this.apis = List.of(new OllamaApi(this), new OpenAiApi(this), new OpenAiCompletionsApi(this),
                new LlamaCppApi(this));
    }

    /** Starts listening (a no-op if already running). Returns this, for try-with-resources. */
    public synchronized SimulatedModelServer start() {
        if (run != null && run.alive()) {
            return this;
        }
        ServerRun fresh;
        try {
            fresh = new ServerRun(settings.name(), port, settings.slots(), settings.promptCache(),
                    settings.loadTime(), settings.scaling());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        for (ApiHandler api : apis) {
            api.register(fresh);
        }
        fresh.start();
        port = fresh.port;
        run = fresh;
        LOG.info("{}: listening on {} ({} slot(s), {} per token, speed {}, models {})", settings.name(), baseUri(),
                settings.slots(), settings.tokenLatency(), settings.speed(), settings.models());
        return this;
    }

    /**
     * Stops like a killed process: closes the port, drops every open connection, and ends every request inside
     * (they are booked as {@link Outcome#DROPPED}). Counters are kept. A no-op if not running.
     */
    public synchronized void stop() {
        if (run != null) {
            run.kill();
            run = null;
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Whether the port is open: started, and neither stopped nor dead (die-after-N). */
    public synchronized boolean isRunning() {
        return run != null && run.alive();
    }

    /** The port: the one given, or the one chosen at the first start (0 before that if 0 was given). */
    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public SimSettings settings() {
        return settings;
    }

    public SimFaults faults() {
        return faults;
    }

    /** Changes the faults for requests that arrive from now on. */
    public void setFaults(SimFaults faults) {
        this.faults = Objects.requireNonNull(faults, "faults");
        LOG.info("{}: faults now {}", settings.name(), faults);
    }

    /** The live counters. */
    public SimCounters counters() {
        return counters;
    }

    /** A snapshot of the counters. */
    public SimStats stats() {
        return counters.snapshot();
    }

    /** The kept call records, oldest first. */
    public List<CallRecord> calls() {
        return counters.calls();
    }

    /** Zeroes the counters (see {@link SimCounters#reset()}). */
    public void reset() {
        counters.reset();
    }

    GenerationEngine engine() {
        return engine;
    }

    /** A port that was free a moment ago on 127.0.0.1 (for "server comes up later" tests). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "SimulatedModelServer[" + settings.name() + " " + baseUri() + "]";
    }

    /**
     * Runs a server until killed. Options: {@code --port N} (default 11434), {@code --slots N},
     * {@code --token-latency-ms N}, {@code --prompt-token-latency-ms N}, {@code --speed X}, {@code --reply-tokens N},
     * {@code --context N}, {@code --model NAME} (repeatable), {@code --name NAME}, {@code --seed N},
     * {@code --load-ms N}, {@code --error-rate X}, {@code --busy-rate X}, {@code --hang-rate X},
     * {@code --stall-rate X}, {@code --die-after N}, {@code --broken-code-rate X}, {@code --silent-truncation},
     * {@code --no-prompt-cache}.
     */
    public static void main(String[] args) throws InterruptedException {
        SimSettings s = SimSettings.defaults();
        SimFaults f = SimFaults.none();
        int port = 11434;
        List<String> models = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> {
                        usage();
                        return;
                    }
                    case "--silent-truncation" -> f = f.withSilentTruncation(true);
                    case "--no-prompt-cache" -> s = s.withPromptCache(false);
                    default -> {
                        if (!VALUED_OPTIONS.contains(a)) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("missing value after " + a);
                        }
                        String v = args[++i];
                        switch (a) {
                            case "--port" -> port = Integer.parseInt(v);
                            case "--slots" -> s = s.withSlots(Integer.parseInt(v));
                            case "--token-latency-ms" -> s = s.withTokenLatency(millis(v));
                            case "--prompt-token-latency-ms" -> s = s.withPromptTokenLatency(millis(v));
                            case "--speed" -> s = s.withSpeed(Double.parseDouble(v));
                            case "--reply-tokens" -> s = s.withReplyTokens(Integer.parseInt(v));
                            case "--context" -> s = s.withContextTokens(Integer.parseInt(v));
                            case "--model" -> models.add(v);
                            case "--name" -> s = s.withName(v);
                            case "--seed" -> s = s.withSeed(Long.parseLong(v));
                            case "--load-ms" -> s = s.withLoadTime(millis(v));
                            case "--error-rate" -> f = f.withErrorRate(Double.parseDouble(v));
                            case "--broken-code-rate" -> s = s.withBrokenCodeRate(Double.parseDouble(v));
                            case "--busy-rate" -> f = f.withBusyRate(Double.parseDouble(v));
                            case "--hang-rate" -> f = f.withHangRate(Double.parseDouble(v));
                            case "--stall-rate" -> f = f.withStallRate(Double.parseDouble(v));
                            case "--die-after" -> f = f.withDieAfterCalls(Integer.parseInt(v));
                            default -> throw new IllegalArgumentException("unknown option " + a);
                        }
                    }
                }
            }
            if (!models.isEmpty()) {
                s = s.withModels(models);
            }
            s = s.withFaults(f);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            usage();
            System.exit(2);
            return;
        }

        SimulatedModelServer sim = new SimulatedModelServer(port, s).start();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.stop();
            SimStats st = sim.stats();
            System.out.println("Served " + st.completed() + " of " + st.received() + " generation requests "
                    + st.byOutcome() + ", at most " + st.maxInside() + " inside at once, "
                    + String.format("%.1f", st.workSeconds()) + " s of work.");
            done.countDown();
        }, "sim-shutdown"));
        URI base = sim.baseUri();
        System.out.println("Simulated model server '" + s.name() + "' on " + base);
        System.out.println("  models:        " + String.join(", ", s.models()));
        System.out.println("  slots:         " + s.slots() + ", context " + s.contextTokens() + " tokens, replies of "
                + s.replyTokens() + " tokens");
        System.out.println("  latency:       " + s.tokenLatency().toMillis() + " ms/token, "
                + s.promptTokenLatency().toMillis() + " ms/prompt token, speed x" + s.speed()
                + " (a full reply takes about " + Duration.ofNanos(s.replyTokens() * s.tokenNanosAtSpeed()).toMillis()
                + " ms)");
        System.out.println("  prompt cache:  " + (s.promptCache() ? "on (per slot)" : "off"));
        System.out.println("  faults:        " + f);
        System.out.println("  Ollama:        POST " + base + "/api/chat, /api/generate; GET /api/version, /api/tags, "
                + "/api/ps");
        System.out.println("  OpenAI:        POST " + base + "/v1/chat/completions, /v1/completions; GET /v1/models");
        System.out.println("  llama-server:  POST " + base + "/completion; GET /health, /props, /slots");
        System.out.println("Stop with Ctrl-C.");
        done.await();
    }

    private static Duration millis(String v) {
        return Duration.ofNanos(Math.round(Double.parseDouble(v) * 1_000_000));
    }

    private static void usage() {
        System.out.println("usage: java -cp guidesmith.jar dev.guidesmith.sim.SimulatedModelServer [--port 11434]"
                + " [--slots 1] [--token-latency-ms 0] [--prompt-token-latency-ms 0] [--speed 1.0]"
                + " [--reply-tokens 400] [--context 4096] [--model NAME]... [--name sim] [--seed 42] [--load-ms 0]"
                + " [--error-rate 0] [--busy-rate 0] [--hang-rate 0] [--stall-rate 0] [--die-after 0]"
                + " [--broken-code-rate 0] [--silent-truncation] [--no-prompt-cache]");
    }
}
