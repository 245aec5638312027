package dev.guidesmith.llm;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One configured model server at run time: its client, its health, and what it has done. The
 * scheduling fields ({@code inFlight}, state, failures) change only under the scheduler's lock;
 * the counters are atomics so status readers never block the scheduler.
 */
public final class Endpoint {

    private final EndpointSettings settings;
    private final ModelClient client;
    /** What its server is shared under between nodes ({@link SharedSlots#serverKey}); null for an in-process engine. */
    private final String serverKey;

    // guarded by FleetScheduler's lock
    int inFlight;
    int consecutiveFailures;
    EndpointState state = EndpointState.UNKNOWN;
    long nextProbeNanos;
    // guarded by the endpoint's own monitor: one health check at a time
    boolean probing;

    private volatile String stateReason = "not checked yet";
    private volatile int context;
    private volatile int slots;
    /** Finds the slots by measurement ({@code slots=auto}); null when they are a number. Guarded by the scheduler's lock. */
    private final SlotTuner tuner;
    private final int queueDepth;
    private final SlotTurnaround turnaround = new SlotTurnaround();
    private final TokenCounter tokens;
    private volatile int peakInFlight;
    private volatile int inFlightNow;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong cachedTokens = new AtomicLong();
    private final AtomicLong outputTokens = new AtomicLong();
    private final AtomicLong busyMillis = new AtomicLong();
    private final AtomicLong generatingMillis = new AtomicLong();

    Endpoint(EndpointSettings settings, ModelClient client) {
        this.settings = settings;
        this.client = client;
        this.serverKey = SharedSlots.serverKey(settings);
        this.context = settings.context();
        this.tuner = settings.autoSlots() ? settings.slotTuner(System.nanoTime()) : null;
        this.slots = tuner != null ? tuner.slots() : Math.max(1, settings.slots());
        this.queueDepth = settings.queueDepth();
        this.tokens = new TokenCounter(settings.name(), client);
    }

    public String name() {
        return settings.name();
    }

    public EndpointSettings settings() {
        return settings;
    }

    ModelClient client() {
        return client;
    }

    String serverKey() {
        return serverKey;
    }

    /** Calls this endpoint may run at once: as configured, else as the server said, else 1. */
    public int slots() {
        return slots;
    }

    /** Whether its slots are found by measurement ({@code slots=auto}). */
    public boolean autoSlots() {
        return tuner != null;
    }

    /** The most calls it may ever run at once: its slots, or with {@code slots=auto} the tuner's ceiling. */
    public int maxSlots() {
        return tuner != null ? tuner.maxSlots() : slots;
    }

    /** With {@code slots=auto}: what the tuner is doing or last decided; else null. */
    public String slotsDecision() {
        return tuner == null ? null : tuner.decision();
    }

    /**
     * A call completed: with {@code slots=auto}, the tuner measures it and may change the slots (called under the
     * scheduler's lock, before the call's slot is given back).
     *
     * @return a decision to log, when one was made
     */
    Optional<String> tuneSlots(long now, long outputTokens, long durationNanos) {
        if (tuner == null) {
            return Optional.empty();
        }
        Optional<String> news = tuner.completed(now, outputTokens, durationNanos, inFlight, inFlight >= slots);
        slots = tuner.slots();
        return news;
    }

    /** A call timed out: with {@code slots=auto}, a trial of more slots ends at once. Under the scheduler's lock. */
    Optional<String> slotsTimedOut(long now) {
        if (tuner == null) {
            return Optional.empty();
        }
        Optional<String> news = tuner.timedOut(now);
        slots = tuner.slots();
        return news;
    }

    /**
     * What the server says about its parallelism. Believed when the user did not configure slots, up to
     * max-slots; otherwise the configuration wins, with a warning when it asks for more than the server runs.
     * With {@code slots=auto} it bounds the search: more would only wait inside the server.
     *
     * @return a warning for the log, or null
     */
    String learnSlots(int serverSlots) {
        if (serverSlots <= 0) {
            return null;
        }
        if (tuner != null) {
            tuner.serverRuns(serverSlots);
            slots = tuner.slots();
            return null;
        }
        if (settings.slots() == 0) {
            // the queues' consumers were sized for at most max-slots here (FleetSettings.mostCallsAtOnce)
            slots = Math.min(serverSlots, settings.maxSlots());
            return serverSlots > slots ? "the server runs " + serverSlots + " calls at once; " + slots + " are used (llm.endpoint."
                    + name() + ".max-slots): set slots=" + serverSlots + " to use them all" : null;
        }
        if (settings.slots() > serverSlots) {
            return "llm.endpoint." + name() + ".slots=" + settings.slots() + " but the server runs " + serverSlots
                    + " at once: the other calls wait inside the server; set slots to " + serverSlots;
        }
        return null;
    }

    /** Calls it may be sent beyond its slots, to wait in the server's own queue. */
    public int queueDepth() {
        return queueDepth;
    }

    /** How its prompts are counted in its model's tokens. */
    TokenCounter tokens() {
        return tokens;
    }

    /** Characters per token of its model, as learned from the prompt sizes its server reported. */
    public double charsPerToken() {
        return tokens.charsPerToken();
    }

    /** The gaps between calls at its slots, on the service's side. */
    public SlotTurnaround turnaround() {
        return turnaround;
    }

    public EndpointState state() {
        return state;
    }

    public String stateReason() {
        return stateReason;
    }

    void setState(EndpointState newState, String reason) {
        this.state = newState;
        this.stateReason = reason;
    }

    /** Context tokens per slot: configured, learned from the server, or 0 when unknown. */
    public int context() {
        return context;
    }

    void learnContext(int tokens) {
        if (tokens > 0 && (settings.context() == 0 || tokens < settings.context())) {
            this.context = tokens;
        }
    }

    void shrinkContext(int tokens) {
        if (tokens > 0 && (context == 0 || tokens < context)) {
            this.context = tokens;
        }
    }

    /** Prompt prefixes this endpoint served lately, newest last: what its prompt cache likely holds. */
    private final java.util.LinkedHashSet<String> recentPrefixes = new java.util.LinkedHashSet<>();

    /** Called under the scheduler's lock. */
    void served(String prefixKey) {
        if (prefixKey == null) {
            return;
        }
        recentPrefixes.remove(prefixKey);
        recentPrefixes.add(prefixKey);
        // a server's cache holds about a prompt per slot
        while (recentPrefixes.size() > Math.max(1, slots)) {
            recentPrefixes.remove(recentPrefixes.iterator().next());
        }
    }

    /** Called under the scheduler's lock. */
    boolean holdsPrefix(String prefixKey) {
        return recentPrefixes.contains(prefixKey);
    }

    void callStarted() {
        inFlightNow = inFlight;
        if (inFlight > peakInFlight) {
            peakInFlight = inFlight;
        }
    }

    void callEnded(long millis) {
        inFlightNow = inFlight;
        busyMillis.addAndGet(millis);
    }

    void recordSuccess(ModelReply reply) {
        completed.incrementAndGet();
        promptTokens.addAndGet(reply.promptTokens());
        cachedTokens.addAndGet(reply.cachedTokens());
        outputTokens.addAndGet(reply.outputTokens());
        generatingMillis.addAndGet(reply.elapsedMillis());
    }

    void recordFailure() {
        failed.incrementAndGet();
    }

    /** Calls sent to it that are not over: running in its slots, and waiting in its queue (see {@link #queueDepth()}). */
    public int inFlight() {
        return inFlightNow;
    }

    /** The most calls this endpoint ever had at once; never above its slots plus its queue-depth. */
    public int peakInFlight() {
        return peakInFlight;
    }

    public long completed() {
        return completed.get();
    }

    public long failed() {
        return failed.get();
    }

    public long promptTokens() {
        return promptTokens.get();
    }

    /** Prompt tokens the server reported taking from its prompt cache. */
    public long cachedTokens() {
        return cachedTokens.get();
    }

    public long outputTokens() {
        return outputTokens.get();
    }

    /** Slot-milliseconds spent in calls, successful or not. */
    public long busyMillis() {
        return busyMillis.get();
    }

    /** Output tokens per second while generating, over the whole run. */
    public double tokensPerSecond() {
        long millis = generatingMillis.get();
        return millis == 0 ? 0 : outputTokens.get() * 1000.0 / millis;
    }

    @Override
    public String toString() {
        return settings.toString();
    }
}
