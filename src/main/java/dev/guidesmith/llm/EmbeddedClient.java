package dev.guidesmith.llm;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code api=embedded}: a GGUF model run in this JVM by llama.cpp through de.kherud's binding
 * ({@code de.kherud:llama} 4.2.0). {@code model} is the path of the GGUF file, {@code slots} the
 * sequences decoded in parallel, {@code context} the tokens per slot (0: the context the model was
 * trained with, read from the file). The model is loaded once, at the first health check or call,
 * and freed by {@link #close()}.
 *
 * <p><b>Threads.</b> The binding embeds llama-server's engine: one native thread runs the slots and
 * batches every active sequence into each decode step; {@code requestCompletion} and
 * {@code receiveCompletion} only pass tasks and results through mutex-guarded queues, and
 * tokenizing reads the vocabulary only. So up to {@code slots} calls run at once from the
 * scheduler's threads, each on its own iterator, with no lock of ours around them (tested with two
 * concurrent calls on two slots). What is not safe is freeing the model while a call is inside
 * native code: calls hold the read side of a lock and {@link #close()} takes the write side after
 * asking calls to stop (each stops after its current token).
 *
 * <p><b>Limits.</b> The prompt is tokenized with the model before anything is generated; a prompt
 * that with the reply's room does not fit one slot's context is refused as
 * {@link FailureKind#CONTEXT_OVERFLOW} with the numbers (context shift is disabled, so the engine
 * never silently drops the start of a prompt). A data stage's schema becomes a grammar
 * ({@link SchemaGrammar}) that constrains sampling. The binding does not say why generation
 * stopped, only that it did; streamed outputs are one per generated token (the end-of-sequence
 * token included, as llama-server counts them), so a reply that used all of {@code maxTokens} is
 * taken as cut at the limit: {@link FailureKind#TRUNCATED}. (One that ends with its very last
 * allowed token is thus also refused; it had no room to spare either.)
 *
 * <p><b>Base models.</b> A model without a chat template (a base model, prompted in the plain
 * layout) may never write end-of-sequence: llama2.c-style models such as the tiny test model were
 * trained on documents separated by BOS, not closed by EOS, and llama.cpp stops only at
 * end-of-generation tokens. For such a model a free-text reply ends where it writes a control
 * token (a streamed token with no text: BOS, the start of its next document). Tokens whose text is
 * an incomplete UTF-8 character are not streamed on their own, so an empty output is a control
 * token. Schema-constrained replies end by the grammar instead.
 *
 * <p><b>Timeouts.</b> {@code llm.call-timeout-seconds} is checked after every token; a single token
 * cannot be interrupted. {@code llm.idle-timeout-seconds} has nothing to watch: there is no network.
 */
final class EmbeddedClient implements ModelClient {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedClient.class);
    /** How long {@link #close()} waits for calls to stop before leaving the native model to the process's end. */
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final EndpointSettings endpoint;
    private final CallTimeouts timeouts;
    private final Path file;
    private final int slots;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** The binding does not say how much of a prompt came from the cache: reckoned as llama.cpp reuses it. */
    private final PromptCacheEstimate cacheEstimate;
    private final Object loading = new Object();

    private volatile Engine engine;
    private volatile boolean closed;
    /** The file state a native load failed for, so a broken file is not handed to llama.cpp every health check. */
    private String failedFor;
    private ModelCallException failure;

    /** The loaded model and what we know of it. */
    private record Engine(LlamaModel model, GgufMetadata metadata, int contextPerSlot) {
    }

    EmbeddedClient(EndpointSettings endpoint, CallTimeouts timeouts) {
        this.endpoint = endpoint;
        this.timeouts = timeouts;
        this.file = Path.of(endpoint.model());
        this.slots = Math.max(1, endpoint.slots());
        this.cacheEstimate = new PromptCacheEstimate(slots);
    }

    /** Exactly, with the model's own tokenizer, as {@link #call} counts the prompt. */
    @Override
    public OptionalInt countTokens(List<ChatMessage> messages) throws ModelCallException {
        return withEngine(engine -> {
            String prompt = EmbeddedPrompt.format(messages, engine.model(), engine.metadata().chatTemplate() != null);
            return OptionalInt.of(tokenCount(engine, engine.model().encode(prompt)));
        });
    }

    @Override
    public ModelReply call(ChatCall call) throws ModelCallException {
        long started = System.nanoTime();
        return withEngine(engine -> generate(engine, call, started));
    }

    private interface EngineWork<T> {
        T run(Engine engine) throws ModelCallException;
    }

    /** Runs {@code work} on the loaded engine, which is not closed meanwhile. */
    private <T> T withEngine(EngineWork<T> work) throws ModelCallException {
        Engine engine = engine();
        if (!lifecycle.readLock().tryLock()) {
            throw closedError();
        }
        try {
            if (closed) {
                throw closedError();
            }
            return work.run(engine);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Prompt tokens as llama-server counts them: the beginning-of-sequence token included. */
    private static int tokenCount(Engine engine, int[] promptIds) {
        return promptIds.length + (engine.metadata().addBos() ? 1 : 0);
    }

    private ModelReply generate(Engine engine, ChatCall call, long started) throws ModelCallException {
        if (call.maxTokens() <= 0 && !call.asIs()) {
            throw new ModelCallException(FailureKind.BAD_REQUEST, endpoint.name(), endpoint.name()
                    + ": a call needs room for its reply (maxTokens=" + call.maxTokens() + ")");
        }
        String grammar = call.schema() == null ? null : grammar(call);
        String prompt;
        int[] promptIds;
        int promptTokens;
        try {
            prompt = EmbeddedPrompt.format(call.messages(), engine.model(), engine.metadata().chatTemplate() != null);
            promptIds = engine.model().encode(prompt);
            promptTokens = tokenCount(engine, promptIds);
        } catch (RuntimeException e) {
            throw new ModelCallException(FailureKind.SERVER_ERROR, endpoint.name(), endpoint.name()
                    + " could not prepare the prompt: " + e.getMessage(), e);
        }
        int context = engine.contextPerSlot();
        // a caller's own request without a limit may fill the slot, as llama-server allows
        int maxTokens = call.maxTokens() > 0 ? call.maxTokens() : Math.max(1, context - promptTokens);
        if (promptTokens + maxTokens > context) {
            throw new ModelCallException(FailureKind.CONTEXT_OVERFLOW, endpoint.name(), endpoint.name() + ": the prompt is "
                    + promptTokens + " tokens and the reply may take " + maxTokens + ", " + (promptTokens + maxTokens)
                    + " in all, but a slot of " + file.getFileName() + " holds " + context + " tokens (the estimate was "
                    + call.promptTokens() + " prompt tokens); shorten the prompt, lower the stage's max-tokens or raise llm.endpoint."
                    + endpoint.name() + ".context");
        }
        InferenceParameters parameters = new InferenceParameters(prompt)
                .setNPredict(maxTokens)
                .setTemperature((float) call.temperature())
                .setCachePrompt(true);
        if (grammar != null) {
            parameters.setGrammar(grammar);
        }
        endpoint.seed().ifPresent(parameters::setSeed);
        long deadline = started + timeouts.call().toNanos();
        StringBuilder text = new StringBuilder();
        int outputTokens = 0;
        boolean endsDocument = call.schema() == null && engine.metadata().chatTemplate() == null;
        LlamaIterator outputs = null;
        try {
            outputs = engine.model().generate(parameters).iterator();
            while (outputs.hasNext()) {
                LlamaOutput output = outputs.next();
                text.append(output.text);
                if (!outputs.hasNext()) {
                    break; // the final output closes the stream; it carries no token of its own
                }
                outputTokens++;
                if (endsDocument && output.text.isEmpty()) {
                    outputs.cancel(); // a control token: a base model starting its next document
                    break;
                }
                stopIfAsked(outputs, deadline);
            }
        } catch (RuntimeException e) {
            throw new ModelCallException(FailureKind.SERVER_ERROR, endpoint.name(), endpoint.name()
                    + " (llama.cpp) failed while generating: " + e.getMessage(), e);
        }
        boolean cut = outputTokens >= maxTokens;
        if (cut && !call.asIs()) {
            throw new ModelCallException(FailureKind.TRUNCATED, endpoint.name(), endpoint.name() + " stopped the reply at its length"
                    + " limit (" + outputTokens + " of " + maxTokens + " tokens)");
        }
        long elapsed = (System.nanoTime() - started) / 1_000_000;
        return new ModelReply(text.toString(), null, endpoint.name(), file.getFileName().toString(), false, promptTokens,
                outputTokens, elapsed, cut ? ModelReply.LENGTH : ModelReply.STOP, cacheEstimate.cachedTokensOf(promptIds));
    }

    /** Between tokens: the service closing, the thread interrupted or the call's time up end the generation here. */
    private void stopIfAsked(LlamaIterator outputs, long deadline) throws ModelCallException {
        // cancel() is only ever called by the thread that reads the iterator: a cancel from another
        // thread while this one waits in receiveCompletion would leave it waiting forever
        if (closed) {
            outputs.cancel();
            throw closedError();
        }
        if (Thread.currentThread().isInterrupted()) {
            outputs.cancel();
            throw new ModelCallException(FailureKind.UNREACHABLE, endpoint.name(), "interrupted while generating on " + endpoint.name());
        }
        if (System.nanoTime() > deadline) {
            outputs.cancel();
            throw new ModelCallException(FailureKind.CALL_TIMEOUT, endpoint.name(), endpoint.name()
                    + " did not finish within llm.call-timeout-seconds=" + timeouts.call().toSeconds());
        }
    }

    private String grammar(ChatCall call) throws ModelCallException {
        try {
            return SchemaGrammar.of(call.schema());
        } catch (SchemaGrammar.UnsupportedSchemaException e) {
            throw new ModelCallException(FailureKind.BAD_REQUEST, endpoint.name(), endpoint.name()
                    + " cannot constrain its output to this schema: " + e.getMessage());
        }
    }

    @Override
    public EndpointProbe probe() {
        try {
            Engine loaded = engine();
            return EndpointProbe.healthy(endpoint.name() + " runs " + file.getFileName() + " in-process (" + slots + " slot"
                    + (slots == 1 ? "" : "s") + " of " + loaded.contextPerSlot() + " tokens)", loaded.contextPerSlot(), slots);
        } catch (ModelCallException e) {
            return EndpointProbe.failed(e.kind(), e.getMessage());
        }
    }

    /** The loaded model; loads it on first use. A failure is thrown each time until the file is fixed. */
    private Engine engine() throws ModelCallException {
        Engine loaded = engine;
        if (loaded != null) {
            return loaded;
        }
        synchronized (loading) {
            if (closed) {
                throw closedError();
            }
            if (engine == null) {
                engine = load();
            }
            return engine;
        }
    }

    /** Called holding {@code loading}. */
    private Engine load() throws ModelCallException {
        String setting = "llm.endpoint." + endpoint.name() + ".model";
        if (!Files.exists(file)) {
            throw notFound("the file " + file + " does not exist (from " + Path.of("").toAbsolutePath() + "): set " + setting
                    + " to the path of a GGUF file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw notFound(file + " is not a readable file: set " + setting + " to the path of a GGUF file this user can read");
        }
        GgufMetadata metadata;
        String state;
        try {
            metadata = GgufMetadata.read(file);
            state = Files.size(file) + "@" + Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw notFound("the file " + file + " " + e.getMessage() + ": set " + setting + " to the path of a GGUF model");
        }
        if (state.equals(failedFor)) {
            throw failure;
        }
        int perSlot = endpoint.context() > 0 ? endpoint.context() : metadata.contextLength();
        if (perSlot <= 0) {
            throw notFound(file + " does not say its context length: set llm.endpoint." + endpoint.name() + ".context");
        }
        if (metadata.contextLength() > 0 && perSlot > metadata.contextLength()) {
            LOG.warn("Endpoint {}: context {} per slot is more than {} was trained with ({}); llama.cpp runs it, the replies"
                    + " may be worse past {} tokens", endpoint.name(), perSlot, file.getFileName(), metadata.contextLength(),
                    metadata.contextLength());
        }
        ModelParameters parameters = new ModelParameters()
                .setModel(file.toString())
                .setParallel(slots)
                .setCtxSize(perSlot * slots) // llama.cpp gives each of the parallel sequences ctx-size / parallel
                .disableContextShift()
                .disableLog();
        long started = System.nanoTime();
        try {
            LlamaNative.prepare();
            LlamaModel model = new LlamaModel(parameters);
            LOG.info("Endpoint {}: loaded {} ({}{}) in {} ms: {} slot(s) of {} tokens, {}", endpoint.name(), file,
                    metadata.architecture(), metadata.name() == null ? "" : ", " + metadata.name(),
                    (System.nanoTime() - started) / 1_000_000, slots, perSlot,
                    metadata.chatTemplate() == null ? "no chat template (plain prompt layout)" : "its own chat template");
            failedFor = null;
            return new Engine(model, metadata, perSlot);
        } catch (RuntimeException e) {
            failedFor = state;
            failure = notFound("llama.cpp could not load " + file + " (" + e.getMessage() + "; its own message is on"
                    + " standard error): is it a complete GGUF model of an architecture llama.cpp knows? Set " + setting
                    + " to another file");
            throw failure;
        } catch (LinkageError e) {
            throw new ModelCallException(FailureKind.SERVER_ERROR, endpoint.name(), endpoint.name()
                    + ": llama.cpp's native library could not be loaded on this platform (" + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + "): " + e);
        }
    }

    private ModelCallException notFound(String message) {
        return new ModelCallException(FailureKind.MODEL_NOT_FOUND, endpoint.name(), endpoint.name() + ": " + message);
    }

    private ModelCallException closedError() {
        return new ModelCallException(FailureKind.UNREACHABLE, endpoint.name(), endpoint.name() + " is closed (the service is stopping)");
    }

    /** Stops calls after their current token, waits for them, then frees the native model. */
    @Override
    public void close() {
        synchronized (loading) {
            closed = true;
        }
        Engine loaded = engine;
        if (loaded == null) {
            return;
        }
        boolean locked = false;
        try {
            locked = lifecycle.writeLock().tryLock(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            LOG.warn("Endpoint {}: calls still running after {} s; the model is left for the process's end to free",
                    endpoint.name(), CLOSE_WAIT_SECONDS);
            return;
        }
        try {
            engine = null;
            loaded.model().close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
