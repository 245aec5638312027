package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Serves one generation request, the same way for every API: counts it, applies faults, checks the context, waits for
 * a slot, then produces the reply over {@code outputTokens x tokenLatency / speed} (after
 * {@code uncachedPromptTokens x promptTokenLatency / speed}: the tokens the slot's prompt cache did not hold),
 * streamed in small chunks or sent whole at the end.
 */
final class GenerationEngine {

    private static final Logger LOG = LoggerFactory.getLogger(GenerationEngine.class);
    /** Aim for a chunk every 5 ms or so when the server has latency. */
    private static final long CHUNK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int MAX_CHUNK_TOKENS = 16;
    /** A compiler's or an interpreter's error as a prompt quotes it: {@code solution.cpp:3:5: error: ...}, {@code SyntaxError: ...}. */
    private static final java.util.regex.Pattern QUOTED_ERROR = java.util.regex.Pattern.compile(": error: |\\b[A-Z]\\w*Error: ");

    private final SimulatedModelServer server;
    private final SimSettings settings;
    private final SimCounters counters;
    private final ReplyGenerator generator;
    /** Request contents seen once, for {@link SimFaults#failFirstTry()}. */
    private final java.util.Set<Long> triedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();

    GenerationEngine(SimulatedModelServer server, SimSettings settings, SimCounters counters) {
        this.server = server;
        this.settings = settings;
        this.counters = counters;
        this.generator = new ReplyGenerator(settings.seed());
    }

    void handle(HttpExchange ex, ApiHandler api, String endpoint, ServerRun run) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().set("Allow", "POST");
            HttpIo.sendText(ex, 405, "405 method not allowed");
            return;
        }
        byte[] raw = HttpIo.readBody(ex);
        long start = System.nanoTime();
        long ordinal = counters.arrived(Instant.now());
        long runOrdinal = run.generationCalls.incrementAndGet();
        SimFaults faults = server.faults();
        SimCall call = new SimCall(api.api(), endpoint, start, ordinal);
        call.run = run;
        boolean dying = false;
        try {
            int dieAfter = faults.dieAfterCalls();
            if (dieAfter > 0 && runOrdinal > dieAfter) {
                // arrived on a connection that was open before the server died (or the fault was set late)
                if (run.dying.compareAndSet(false, true)) {
                    LOG.info("{}: dying after {} generation calls", settings.name(), dieAfter);
                    run.killAsync();
                }
                finish(call, Outcome.DROPPED);
                throw new DropConnection();
            }
            if (dieAfter > 0 && runOrdinal == dieAfter && run.dying.compareAndSet(false, true)) {
                dying = true;
                LOG.info("{}: generation call {} of {}: stops listening, then dies", settings.name(), runOrdinal,
                        dieAfter);
                run.stopListening();
                ex.getResponseHeaders().set("Connection", "close");
            }

            JsonNode body = parseBody(api, raw);
            call.requestedModel = body.path("model").isTextual() ? body.get("model").asText() : null;
            GenerationRequest req = api.parse(endpoint, body);
            call.request = req;

            if (run.loading()) {
                if (!api.waitsWhileLoading()) {
                    throw api.failure(Outcome.LOADING);
                }
                run.awaitLoaded();
            }

            Outcome fault = dying ? null : faults.pick(draw(ordinal));
            if (!dying && faults.failFirstTry() && triedOnce.add(req.contentKey())) {
                fault = Outcome.ERROR;
            }
            if (fault == Outcome.ERROR || fault == Outcome.BUSY) {
                throw api.failure(fault);
            }
            if (fault == Outcome.HANG) {
                finish(call, Outcome.HANG);
                hold(run, faults);
            }

            int ctx = req.contextTokens();
            call.promptEvalTokens = req.promptTokens();
            if (req.promptTokens() > ctx) {
                if (api.api() == SimApi.OLLAMA && faults.silentTruncation()) {
                    call.promptEvalTokens = ctx;
                    call.promptTruncated = true;
                } else {
                    throw api.contextOverflow(req);
                }
            }

            int slot = run.takeSlot(req.promptText());
            call.slotNanos = System.nanoTime();
            call.workStartNanos = run.pace().now();
            call.slot = slot;
            call.slotHeld = true;
            counters.slotTaken();
            usePromptCache(call, run.slotPrompts());
            boolean stall = fault == Outcome.STALL;
            produce(ex, api, call, stall);
            if (stall) {
                finish(call, Outcome.STALL);
                hold(run, faults);
            }
        } catch (ApiException e) {
            finish(call, e.outcome());
            try {
                HttpIo.send(ex, e.status(), HttpIo.JSON, e.body());
            } catch (IOException gone) {
                LOG.debug("{}: could not send the {} reply: {}", settings.name(), e.status(), gone.toString());
            }
        } catch (InterruptedException e) {
            finish(call, Outcome.DROPPED);
            throw new DropConnection();
        } catch (IOException e) {
            finish(call, run.alive() ? Outcome.CLIENT_GONE : Outcome.DROPPED);
            throw new DropConnection();
        } catch (DropConnection e) {
            finish(call, Outcome.DROPPED);
            throw e;
        } catch (RuntimeException e) {
            finish(call, Outcome.DROPPED);
            LOG.warn("{}: {} failed", settings.name(), endpoint, e);
            throw new DropConnection();
        } finally {
            finish(call, Outcome.DROPPED); // a no-op unless something above forgot
            if (dying) {
                run.kill();
            }
        }
    }

    /**
     * Finishes a call, once: stamps its end, gives its slot back, takes it out of the "inside" gauge and books it.
     * Called just before the write that lets the client see the reply as finished (or before a hang or stall starts),
     * never after: otherwise a client could get its answer and send its next request, or read the counters, before
     * this call is counted out, and {@code maxInside} or {@code completed} would be off. If that last write then fails,
     * the call stays booked as it was.
     */
    private void finish(SimCall call, Outcome outcome) {
        if (call.finished) {
            return;
        }
        call.finished = true;
        call.outcome = outcome;
        call.endNanos = System.nanoTime(); // before the slot goes back: records never overlap more than the slots
        if (call.slot >= 0 && call.slotHeld) {
            if (outcome.isSuccess() && !call.promptTruncated) {
                // the slot's cache now holds the reply after the prompt: a conversation's next turn starts with both
                call.run.slotPrompts().remember(call.slot, call.request.promptText() + call.text);
            }
            call.slotHeld = false;
            counters.slotReleased();
            call.run.releaseSlot(call.slot);
        }
        counters.left();
        book(call);
    }

    /**
     * Counts the prompt tokens the slot already holds (none if the cache is off, the request says
     * {@code cache_prompt: false}, or the prompt was silently cut, so its kept part starts elsewhere), then makes the
     * slot hold this prompt.
     */
    private void usePromptCache(SimCall call, SlotPrompts prompts) {
        GenerationRequest req = call.request;
        boolean reuse = settings.promptCache() && req.cachePrompt() && !call.promptTruncated;
        call.cachedTokens = reuse ? prompts.cachedTokens(call.slot, req.promptText(), call.promptEvalTokens) : 0;
        prompts.remember(call.slot, call.promptTruncated ? "" : req.promptText());
    }

    private JsonNode parseBody(ApiHandler api, byte[] raw) {
        JsonNode body;
        try {
            body = ApiHandler.MAPPER.readTree(raw);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw api.badRequest("invalid JSON body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw api.badRequest("unreadable body: " + e.getMessage());
        }
        if (body == null || !body.isObject()) {
            throw api.badRequest("the request body must be a JSON object");
        }
        return body;
    }

    /**
     * Which code fields of the reply to break: none, or (at {@link SimSettings#brokenCodeRate()}) the first, the
     * second or both, drawn from the request's content, so the same prompt gets the same answer.
     */
    private int breakMask(GenerationRequest req) {
        if (settings.brokenCodeRate() <= 0) {
            return 0;
        }
        SplittableRandom draw = new SplittableRandom(ReplyGenerator.mix(settings.seed() ^ 0xB40CE5L, req.contentKey()));
        return draw.nextDouble() < settings.brokenCodeRate() ? 1 + draw.nextInt(3) : 0;
    }

    /** A uniform number in [0,1) for the fault draw of the request with this ordinal: reproducible per seed. */
    private double draw(long ordinal) {
        return new SplittableRandom(ReplyGenerator.mix(settings.seed() ^ 0x5DEECE66DL, ordinal)).nextDouble();
    }

    private void hold(ServerRun run, SimFaults faults) {
        counters.holdStarted();
        try {
            run.hold(faults.hangFor());
        } finally {
            counters.holdEnded();
        }
        throw new DropConnection();
    }

    private void book(SimCall call) {
        GenerationRequest req = call.request;
        CallRecord record = new CallRecord(call.api, call.endpoint, call.requestedModel,
                req == null ? 0 : req.promptTokens(), call.cachedTokens, call.outputTokens, call.schemaRequested(),
                req != null && req.stream(), call.slot, call.startNanos, call.slotNanos, call.endNanos,
                call.outcome, call.promptTruncated);
        counters.finished(record, Instant.now(), settings.tokenLatency().toNanos(),
                call.uncachedTokens() * settings.promptTokenLatency().toNanos(), call.brokenCode, call.quotedError);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {} {} prompt={} cached={} output={} slot={} -> {}", settings.name(), call.endpoint,
                    call.requestedModel, record.promptTokens(), record.cachedTokens(), record.outputTokens(),
                    call.slot, call.outcome);
        }
    }

    /** Writes the reply (or, for a stall, its beginning) while holding a slot. */
    private void produce(HttpExchange ex, ApiHandler api, SimCall call, boolean stall)
            throws IOException, InterruptedException {
        GenerationRequest req = call.request;
        int targetChars = settings.replyTokensFor(req.promptTokens()) * SimSettings.CHARS_PER_TOKEN;
        String full;
        if (req.json()) {
            call.quotedError = QUOTED_ERROR.matcher(req.promptText()).find();
            ReplyGenerator.JsonReply reply = generator.json(req.schema(), req.contentKey(), targetChars,
                    call.quotedError ? 0 : breakMask(req));
            full = reply.text();
            call.brokenCode = reply.brokenFields() > 0;
        } else {
            full = generator.prose(req.contentKey(), targetChars);
        }

        long allowed = req.maxTokens() >= 0 ? req.maxTokens() : Long.MAX_VALUE;
        boolean byContext = false;
        if (api.capsOutputAtContext()) {
            long room = Math.max(0, req.contextTokens() - call.promptEvalTokens);
            if (room < allowed) {
                allowed = room;
                byContext = true;
            }
        }
        String emitted = full;
        call.finish = Outcome.STOP;
        if (SimSettings.tokensOf(full.length()) > allowed) {
            emitted = full.substring(0, (int) Math.min(full.length(), allowed * SimSettings.CHARS_PER_TOKEN));
            call.finish = Outcome.LENGTH;
            call.cutByContext = byContext;
        }
        StopSequences.Match stop = StopSequences.firstIn(emitted, req.stop());
        if (stop != null) {
            emitted = emitted.substring(0, stop.at());
            call.finish = Outcome.STOP;
            call.cutByContext = false;
            call.stoppingWord = stop.word();
        }

        long tokenNanos = settings.tokenNanosAtSpeed();
        // only the prompt tokens the slot did not hold take time
        // on the server's work clock, which runs slower while requests share a contended server
        SharedPace pace = call.run.pace();
        long firstAt = call.workStartNanos + call.uncachedTokens() * settings.promptTokenNanosAtSpeed();
        int totalTokens = SimSettings.tokensOf(emitted.length());

        if (!req.stream()) {
            pace.sleepUntil(firstAt);
            call.firstTokenNanos = System.nanoTime();
            pace.sleepUntil(firstAt + totalTokens * tokenNanos);
            call.text = emitted;
            call.outputTokens = totalTokens;
            call.endNanos = System.nanoTime();
            byte[] body = api.whole(call);
            if (stall) {
                ex.getResponseHeaders().set("Content-Type", HttpIo.JSON);
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                out.write(body, 0, body.length / 2);
                out.flush();
                call.outputTokens = totalTokens / 2; // about what the half body carried
                return;
            }
            finish(call, call.finish);
            HttpIo.send(ex, 200, HttpIo.JSON, body);
            return;
        }

        ex.getResponseHeaders().set("Content-Type", api.streamContentType());
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        out.write(api.streamHead(call));
        int chunkTokens = tokenNanos == 0 ? MAX_CHUNK_TOKENS
                : (int) Math.max(1, Math.min(MAX_CHUNK_TOKENS, (CHUNK_INTERVAL_NANOS + tokenNanos - 1) / tokenNanos));
        int chunkChars = chunkTokens * SimSettings.CHARS_PER_TOKEN;
        int chunks = (emitted.length() + chunkChars - 1) / chunkChars;
        int stallAfter = stall ? Math.max(1, chunks / 3) : -1;
        if (stall && chunks == 0) {
            out.flush();
            return;
        }
        int pos = 0;
        int sent = 0;
        while (pos < emitted.length()) {
            int end = Math.min(emitted.length(), pos + chunkChars);
            int tokensAfter = SimSettings.tokensOf(end);
            long due = firstAt + tokensAfter * tokenNanos;
            if (due - pace.now() > 0) {
                out.flush();
                pace.sleepUntil(due);
            }
            if (call.firstTokenNanos == 0) {
                call.firstTokenNanos = System.nanoTime();
            }
            out.write(api.streamPiece(call, emitted.substring(pos, end)));
            call.outputTokens = tokensAfter;
            pos = end;
            if (++sent == stallAfter) {
                out.flush();
                return;
            }
        }
        if (call.firstTokenNanos == 0) {
            call.firstTokenNanos = System.nanoTime();
        }
        call.text = emitted;
        call.outputTokens = totalTokens;
        call.endNanos = System.nanoTime();
        byte[] tail = api.streamTail(call);
        finish(call, call.finish); // before the last line: see finish()
        out.write(tail);
        out.close();
        ex.close();
    }
}
