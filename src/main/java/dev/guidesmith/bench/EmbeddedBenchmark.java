package dev.guidesmith.bench;

import com.fasterxml.jackson.databind.JsonNode;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import dev.guidesmith.camel.CamelModelHttp;
import dev.guidesmith.llm.CallAttempts;
import dev.guidesmith.llm.ChatMessage;
import dev.guidesmith.llm.EndpointState;
import dev.guidesmith.llm.FleetSettings;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.llm.ModelReply;
import dev.guidesmith.llm.ModelRequest;
import dev.guidesmith.support.Json;
import dev.guidesmith.support.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tokens per second of the embedded engine ({@code api=embedded}) on a GGUF model, one sequence at
 * a time and two at once on two slots, measured two ways:
 * <ul>
 *   <li><b>engine</b>: llama.cpp through de.kherud directly, free text, end-of-sequence ignored,
 *       a fixed number of tokens per sequence: the raw decoding speed;</li>
 *   <li><b>service path</b>: the fleet ({@link ModelFleet}: scheduler, prompt fitting, reply check)
 *       with the embedded client, data calls constrained by the {@code solutions} stage's schema, as
 *       the pipeline makes them: what a stage gets.</li>
 * </ul>
 * <pre>
 * mvn -B -q package -DskipTests
 * java -cp target/guidesmith.jar dev.guidesmith.bench.EmbeddedBenchmark ../shared/models/stories260K.gguf [calls]
 * </pre>
 * Each mode makes {@code calls} sequences (default 8) after one warm-up. Tokens/s in all is the
 * output tokens of every sequence over the wall time of the mode. Prints; asserts nothing.
 */
public final class EmbeddedBenchmark {

    private static final int ENGINE_TOKENS = 256;
    private static final int CONTEXT = 512;
    /** The fleet keeps the reply's room and a margin of 64 tokens free of prompt: 420 + 64 + a prompt > 512. */
    private static final int SERVICE_CONTEXT = 1024;

    private EmbeddedBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: EmbeddedBenchmark <model.gguf> [calls]");
            System.exit(2);
        }
        Path model = Path.of(args[0]);
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        if (!Files.isRegularFile(model)) {
            System.err.println("No such file: " + model.toAbsolutePath());
            System.exit(2);
        }
        if (System.getProperty("de.kherud.llama.tmpdir") == null) {
            // a private folder for the native library, as the embedded client makes (see LlamaNative)
            Path libraries = Files.createTempDirectory("guidesmith-llama-");
            libraries.toFile().deleteOnExit();
            System.setProperty("de.kherud.llama.tmpdir", libraries.toString());
        }
        System.out.printf("Embedded benchmark: %s, %d sequences per mode, %d cores%n", model.getFileName(), calls,
                Runtime.getRuntime().availableProcessors());
        double engine1 = engine(model, 1, calls);
        double engine2 = engine(model, 2, calls);
        double fleet1 = servicePath(model, 1, calls);
        double fleet2 = servicePath(model, 2, calls);
        System.out.println();
        System.out.printf("  engine, %d tokens a sequence, 1 sequence at a time    %6.0f tokens/s%n", ENGINE_TOKENS, engine1);
        System.out.printf("  engine, %d tokens a sequence, 2 at once on 2 slots     %6.0f tokens/s in all%n", ENGINE_TOKENS, engine2);
        System.out.printf("  service path, solutions schema, 1 call at a time     %6.0f tokens/s%n", fleet1);
        System.out.printf("  service path, solutions schema, 2 at once on 2 slots  %6.0f tokens/s in all%n", fleet2);
        // de.kherud 4.2.0 attaches its native server thread to the JVM and does not always detach it when the
        // model is freed: the JVM would then wait for that "thread" forever after main returns
        System.exit(0);
    }

    /** Raw decoding: {@code parallel} threads each generating on its own slot. */
    private static double engine(Path file, int parallel, int calls) throws Exception {
        ModelParameters parameters = new ModelParameters().setModel(file.toString()).setParallel(parallel)
                .setCtxSize(CONTEXT * parallel).disableContextShift().disableLog();
        try (LlamaModel model = new LlamaModel(parameters)) {
            generate(model, 0); // warm-up
            AtomicLong tokens = new AtomicLong();
            AtomicInteger next = new AtomicInteger();
            long started = System.nanoTime();
            runOn(parallel, () -> {
                while (next.getAndIncrement() < calls) {
                    tokens.addAndGet(generate(model, next.get()));
                }
                return null;
            });
            double seconds = (System.nanoTime() - started) / 1e9;
            double rate = tokens.get() / seconds;
            System.out.printf("engine, %d slot(s): %d tokens in %.2f s: %.0f tokens/s%n", parallel, tokens.get(), seconds, rate);
            return rate;
        }
    }

    private static int generate(LlamaModel model, int seed) {
        InferenceParameters request = new InferenceParameters("Once upon a time").setNPredict(ENGINE_TOKENS)
                .setIgnoreEos(true).setSeed(seed).setTemperature(0.8f);
        int tokens = -1; // the last output only closes the stream
        for (LlamaOutput ignored : model.generate(request)) {
            tokens++;
        }
        return tokens;
    }

    /** The service's own path: the fleet with one embedded endpoint of {@code slots} slots. */
    private static double servicePath(Path file, int slots, int calls) throws Exception {
        Map<String, String> values = Map.of(
                "llm.endpoints", "bench",
                "llm.endpoint.bench.api", "embedded",
                "llm.endpoint.bench.model", file.toString(),
                "llm.endpoint.bench.slots", Integer.toString(slots),
                "llm.endpoint.bench.context", Integer.toString(SERVICE_CONTEXT));
        JsonNode schema = Json.MAPPER.readTree(Files.readString(Path.of("routes/prompts/solutions.schema.json")));
        // an embedded endpoint makes no HTTP requests, but a fleet is built with the service's HTTP
        try (CamelModelHttp http = CamelModelHttp.standalone();
             ModelFleet fleet = new ModelFleet(FleetSettings.from(new Settings(key -> Optional.ofNullable(values.get(key)))), http)) {
            fleet.start();
            long wait = System.nanoTime() + 60_000_000_000L;
            while (fleet.endpoint("bench").state() != EndpointState.HEALTHY) {
                if (System.nanoTime() > wait) {
                    throw new IllegalStateException("endpoint not healthy: " + fleet.endpoint("bench").stateReason());
                }
                Thread.sleep(20);
            }
            ModelRequest request = new ModelRequest("solutions", 0, "benchmark",
                    budget -> List.of(ChatMessage.user("Write solutions to \"Two Sum\" in JSON.")), schema, 420, 0.2, Set.of());
            call(fleet, request); // warm-up
            AtomicLong tokens = new AtomicLong();
            AtomicInteger next = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            long started = System.nanoTime();
            runOn(slots, () -> {
                while (next.getAndIncrement() < calls) {
                    ModelReply reply = call(fleet, request);
                    if (reply == null) {
                        failed.incrementAndGet();
                    } else {
                        tokens.addAndGet(reply.outputTokens());
                    }
                }
                return null;
            });
            double seconds = (System.nanoTime() - started) / 1e9;
            double rate = tokens.get() / seconds;
            System.out.printf("service path, %d slot(s): %d tokens in %.2f s: %.0f tokens/s (%d call(s) failed)%n", slots,
                    tokens.get(), seconds, rate, failed.get());
            return rate;
        }
    }

    private static ModelReply call(ModelFleet fleet, ModelRequest request) throws InterruptedException {
        try {
            return fleet.call(request, new CallAttempts());
        } catch (dev.guidesmith.llm.ModelCallException e) {
            System.out.println("  call failed: " + e.getMessage());
            return null;
        }
    }

    private static void runOn(int threads, java.util.concurrent.Callable<Void> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit(work));
            }
            for (Future<Void> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
