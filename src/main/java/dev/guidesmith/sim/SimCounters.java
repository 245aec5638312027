package dev.guidesmith.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Thread-safe counters of a simulated server's generation requests ({@code /api/chat}, {@code /api/generate},
 * {@code /v1/chat/completions}, {@code /v1/completions}, {@code /completion}); other endpoints are not counted.
 *
 * <p><b>Inside vs processing.</b> A request is <em>inside</em> the server from the moment its body has been read
 * until the server is done with it, whether it holds a slot or waits for one; that is what a client has in flight
 * at this server, so {@link #maxInside()} is how a test proves a client never sent more than N at once. A request is
 * <em>processing</em> while it holds one of the slots; {@link #maxProcessing()} can never exceed the slot count.
 * A hung or stalled request leaves both counts when the fault begins (the client is expected to give up on it) and is
 * counted in {@link #held()} instead until its connection is dropped.
 *
 * <p><b>When a request is counted out.</b> Just before the server writes the bytes that complete the reply (the whole
 * body, the last stream line, an error body): so once a client has its answer, the request is already out of
 * {@link #inside()} and in {@link #completed()} / {@link #count(Outcome)}, and a client that sends its next request as
 * soon as it has an answer never shows up as one extra request inside.
 */
public final class SimCounters {

    private static final Outcome[] OUTCOMES = Outcome.values();

    private final int recordLimit;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLongArray byOutcome = new AtomicLongArray(OUTCOMES.length);
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger maxInside = new AtomicInteger();
    private final AtomicInteger processing = new AtomicInteger();
    private final AtomicInteger maxProcessing = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong cachedTokens = new AtomicLong();
    private final AtomicLong outputTokens = new AtomicLong();
    private final AtomicLong brokenCodeReplies = new AtomicLong();
    private final AtomicLong errorQuotingReplies = new AtomicLong();
    private final AtomicLong workNanos = new AtomicLong();
    private final AtomicLong promptWorkNanos = new AtomicLong();
    private final AtomicReference<Instant> firstCallStart = new AtomicReference<>();
    private final AtomicReference<Instant> lastCallEnd = new AtomicReference<>();
    private final ConcurrentLinkedDeque<CallRecord> records = new ConcurrentLinkedDeque<>();
    private final AtomicInteger recordCount = new AtomicInteger();

    SimCounters(int recordLimit) {
        this.recordLimit = recordLimit;
    }

    /** A generation request arrived: it is now inside. Returns its ordinal since the last reset (1-based). */
    long arrived(Instant now) {
        firstCallStart.compareAndSet(null, now);
        int n = inside.incrementAndGet();
        maxInside.accumulateAndGet(n, Math::max);
        return received.incrementAndGet();
    }

    void slotTaken() {
        int n = processing.incrementAndGet();
        maxProcessing.accumulateAndGet(n, Math::max);
    }

    void slotReleased() {
        processing.decrementAndGet();
    }

    /** The request leaves the in-flight count (it finished, or a hang/stall began). */
    void left() {
        inside.decrementAndGet();
    }

    void holdStarted() {
        held.incrementAndGet();
    }

    void holdEnded() {
        held.decrementAndGet();
    }

    /**
     * Books a finished request. {@code tokenLatencyNanos} is the speed-independent latency of one output token;
     * {@code promptNanos} the speed-independent time its uncached prompt tokens took.
     */
    void finished(CallRecord record, Instant end, long tokenLatencyNanos, long promptNanos) {
        finished(record, end, tokenLatencyNanos, promptNanos, false, false);
    }

    /**
     * The same, for a reply that had code broken on purpose ({@code brokenCode}) or answered a prompt quoting a
     * compiler's or interpreter's error ({@code quotedError}); both are counted for replies that ended by themselves.
     */
    void finished(CallRecord record, Instant end, long tokenLatencyNanos, long promptNanos, boolean brokenCode,
                  boolean quotedError) {
        if (record.outcome() == Outcome.STOP) {
            if (brokenCode) {
                brokenCodeReplies.incrementAndGet();
            }
            if (quotedError) {
                errorQuotingReplies.incrementAndGet();
            }
        }
        byOutcome.incrementAndGet(record.outcome().ordinal());
        if (record.outcome().isSuccess()) {
            promptTokens.addAndGet(record.promptTokens());
            cachedTokens.addAndGet(record.cachedTokens());
            outputTokens.addAndGet(record.outputTokens());
            workNanos.addAndGet(record.outputTokens() * tokenLatencyNanos);
            promptWorkNanos.addAndGet(promptNanos);
        }
        lastCallEnd.accumulateAndGet(end, (a, b) -> a == null || b.isAfter(a) ? b : a);
        if (recordLimit > 0) {
            records.addLast(record);
            if (recordCount.incrementAndGet() > recordLimit && records.pollFirst() != null) {
                recordCount.decrementAndGet();
            }
        }
    }

    public long received() {
        return received.get();
    }

    /** Requests answered with a full reply (outcome STOP or LENGTH). */
    public long completed() {
        return count(Outcome.STOP) + count(Outcome.LENGTH);
    }

    /** Requests that ended in any other outcome. */
    public long failed() {
        long sum = 0;
        for (Outcome o : OUTCOMES) {
            if (!o.isSuccess()) {
                sum += byOutcome.get(o.ordinal());
            }
        }
        return sum;
    }

    public long count(Outcome outcome) {
        return byOutcome.get(outcome.ordinal());
    }

    /** Generation requests inside the server now: processing plus waiting for a slot. */
    public int inside() {
        return inside.get();
    }

    /** The most generation requests ever inside the server at once (since start or reset). */
    public int maxInside() {
        return maxInside.get();
    }

    /** Generation requests holding a slot now. */
    public int processing() {
        return processing.get();
    }

    /** The most generation requests ever holding a slot at once (at most the slot count). */
    public int maxProcessing() {
        return maxProcessing.get();
    }

    /** Requests currently held by a hang or stall fault. */
    public int held() {
        return held.get();
    }

    /** Useful work served, in seconds: sum over successful requests of outputTokens x tokenLatency. */
    public double workSeconds() {
        return workNanos.get() / 1e9;
    }

    /** Prompt tokens of successful requests. */
    public long promptTokens() {
        return promptTokens.get();
    }

    /**
     * Whole replies whose code was broken on purpose ({@link SimSettings#brokenCodeRate()}): what a client's checks
     * should catch and have repaired.
     */
    public long brokenCodeReplies() {
        return brokenCodeReplies.get();
    }

    /** Whole replies to prompts that quoted a compiler's or interpreter's error: their code is never broken. */
    public long errorQuotingReplies() {
        return errorQuotingReplies.get();
    }

    /** Of those, the tokens taken from the slots' prompt caches. */
    public long cachedTokens() {
        return cachedTokens.get();
    }

    /**
     * Prompt reading time of successful requests, in seconds: their uncached prompt tokens x promptTokenLatency
     * (speed-independent). Cached tokens cost nothing.
     */
    public double promptWorkSeconds() {
        return promptWorkNanos.get() / 1e9;
    }

    public Instant firstCallStart() {
        return firstCallStart.get();
    }

    public Instant lastCallEnd() {
        return lastCallEnd.get();
    }

    /** The kept call records, oldest first (a copy). */
    public List<CallRecord> calls() {
        return new ArrayList<>(records);
    }

    public SimStats snapshot() {
        Map<Outcome, Long> map = new EnumMap<>(Outcome.class);
        for (Outcome o : OUTCOMES) {
            long n = byOutcome.get(o.ordinal());
            if (n > 0) {
                map.put(o, n);
            }
        }
        return new SimStats(received(), completed(), failed(), map, inside(), maxInside(), processing(),
                maxProcessing(), held(), promptTokens.get(), cachedTokens.get(), outputTokens.get(), workSeconds(),
                promptWorkSeconds(), firstCallStart(), lastCallEnd());
    }

    /**
     * Zeroes the totals and forgets the records and instants. Requests inside now stay counted, and the maxima
     * restart from the current levels.
     */
    public void reset() {
        received.set(0);
        for (int i = 0; i < OUTCOMES.length; i++) {
            byOutcome.set(i, 0);
        }
        maxInside.set(inside.get());
        maxProcessing.set(processing.get());
        promptTokens.set(0);
        cachedTokens.set(0);
        outputTokens.set(0);
        brokenCodeReplies.set(0);
        errorQuotingReplies.set(0);
        workNanos.set(0);
        promptWorkNanos.set(0);
        firstCallStart.set(null);
        lastCallEnd.set(null);
        records.clear();
        recordCount.set(0);
    }
}
