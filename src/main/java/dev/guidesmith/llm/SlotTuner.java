package dev.guidesmith.llm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds by measurement how many calls at once an endpoint serves fastest ({@code llm.endpoint.<name>.slots=auto}):
 * servers rarely say (Ollama hides {@code OLLAMA_NUM_PARALLEL}, vLLM its {@code max-num-seqs}), and a GPU's
 * throughput rises with concurrency only up to a point, beyond which calls just wait longer.
 * <p>
 * It starts at 1 (measured in two windows, the better counting) and doubles while the endpoint's throughput (output
 * tokens per second over the calls completed in a measuring window, by Little's law: calls under way × tokens per call
 * ÷ time per call) rises by at least {@code minGain}; at the first step that gains less, in a second window too,
 * it steps back and keeps the level before, or it stops at {@code maxSlots}. Every {@code recheck} it measures its level again and tries the next
 * one up once more, so a server that got faster is noticed. A window counts only when the endpoint was kept busy at
 * its slot count (else the work, not the server, limited the throughput) and starts once the calls under way at a
 * change are done, so calls begun under the old count do not blur the new one.
 * <p>
 * Pure logic, fed with completed calls and the time; not thread-safe (the scheduler's lock guards it).
 */
public final class SlotTuner {

    /** Share of a window's calls that must have found the endpoint busy at its slot count for the window to count. */
    static final double MIN_BUSY_SHARE = 0.75;

    private final String endpoint;
    private final double minGain;
    private final int windowCalls;
    private final long recheckNanos;
    private volatile int maxSlots;

    /** The slot count in force. */
    private int slots = 1;
    /** The level accepted so far, and its measured throughput (0 until measured). */
    private int kept = 1;
    private double keptRate;
    /** Whether {@link #slots} is a trial above {@link #kept}. */
    private boolean trying;
    /** Whether the level to compare with is in its second window, and what its first one measured. */
    private boolean secondBaseline;
    private double firstRate;
    /** Whether the trial showed no gain in its window and is being measured in a second one, and what it showed. */
    private boolean confirming;
    private double firstTrialRate;
    private boolean settled;
    private long settledAt;
    private final List<String> steps = new ArrayList<>();
    private volatile String decision = "measuring 1 slot";

    // the measuring window
    private int toSkip;
    private long windowStart;
    private int calls;
    private int busyCalls;
    private long work;
    private long callNanos;
    private long inFlightSum;

    /**
     * @param maxSlots    the most it tries ({@code llm.endpoint.<name>.max-slots})
     * @param minGain     the throughput gain a doubling must bring to be kept, e.g. 0.10 ({@code llm.auto-slots.min-gain})
     * @param windowCalls completed calls measured per level, at least; at least 2 per slot are measured
     *                    ({@code llm.auto-slots.window-calls})
     * @param recheck     how long a decision stands before it is measured again ({@code llm.auto-slots.recheck-minutes})
     * @param now         the time now, {@link System#nanoTime()}'s scale
     */
    public SlotTuner(String endpoint, int maxSlots, double minGain, int windowCalls, Duration recheck, long now) {
        if (maxSlots < 1) {
            throw new IllegalArgumentException("llm.endpoint." + endpoint + ".max-slots=" + maxSlots + " must be 1 or more");
        }
        if (!(minGain > 0)) {
            throw new IllegalArgumentException("llm.auto-slots.min-gain=" + minGain + " must be above 0 (e.g. 0.10 for 10%)");
        }
        if (windowCalls < 1) {
            throw new IllegalArgumentException("llm.auto-slots.window-calls=" + windowCalls + " must be 1 or more");
        }
        this.endpoint = endpoint;
        this.maxSlots = maxSlots;
        this.minGain = minGain;
        this.windowCalls = windowCalls;
        this.recheckNanos = recheck.toNanos();
        // the first window starts at the first completion: before it, the time went to starting up, not to calls
        beginWindow(now, 1);
    }

    /** The slot count to use now. */
    public int slots() {
        return slots;
    }

    /** The most it will try. */
    public int maxSlots() {
        return maxSlots;
    }

    /** What it is doing or last decided, for the status page: "4 slots: 1→2 +85%, 2→4 +40%, 4→8 +3% (flat), keeping 4". */
    public String decision() {
        return decision;
    }

    /**
     * The server says how many calls it runs at once (llama-server's {@code total_slots}): more than that would only
     * wait inside it, so the search stops there.
     */
    public void serverRuns(int serverSlots) {
        if (serverSlots > 0 && serverSlots < maxSlots) {
            maxSlots = serverSlots;
            slots = Math.min(slots, maxSlots);
            kept = Math.min(kept, maxSlots);
        }
    }

    /**
     * A call on this endpoint completed.
     *
     * @param now          the time now
     * @param outputTokens the tokens it produced (a server that reports none is measured in calls per second)
     * @param duration     how long it took, from being sent to its last byte, in nanoseconds
     * @param inFlight     the calls the endpoint had under way as it completed, itself included
     * @param busy         whether the endpoint had as many calls running as its slot count when it completed
     * @return a decision worth logging, when one was made
     */
    public Optional<String> completed(long now, long outputTokens, long duration, int inFlight, boolean busy) {
        if (settled) {
            if (now - settledAt < recheckNanos) {
                return Optional.empty();
            }
            settled = false;
            steps.clear();
            decision = "re-checking " + describe(slots);
            beginWindow(now, slots);
            return Optional.empty();
        }
        if (toSkip > 0) {
            toSkip--;
            windowStart = now;
            return Optional.empty();
        }
        calls++;
        busyCalls += busy ? 1 : 0;
        work += Math.max(1, outputTokens);
        callNanos += Math.max(1, duration);
        inFlightSum += Math.max(1, inFlight);
        if (calls < Math.max(windowCalls, 2 * slots)) {
            return Optional.empty();
        }
        if (busyCalls < MIN_BUSY_SHARE * calls) {
            confirming = false;
            beginWindow(now, 0); // the work did not keep the slots busy: this window says nothing about the server
            return Optional.empty();
        }
        // Little's law: throughput = calls under way × work per call / time per call. From each call's own
        // duration, not from the window's span: calls sharing a server finish in bursts, and where a burst falls
        // against a short window's edges would sway a count-per-time figure by half
        double rate = (double) inFlightSum / calls * work * 1e9 / callNanos;
        if (!trying && !secondBaseline) {
            // the level to compare with is measured in two windows, the better one counting: the first one after a
            // start also carries the service's warm-up, and a pause in it would make any next level look better
            secondBaseline = true;
            firstRate = rate;
            beginWindow(now, 0);
            return Optional.empty();
        }
        if (!trying) {
            secondBaseline = false;
            return Optional.ofNullable(accept(now, Math.max(rate, firstRate)));
        }
        return Optional.ofNullable(judgeTrial(now, rate));
    }

    /**
     * A call on this endpoint timed out. During a trial that is the answer: the server cannot take that many, so the
     * tuner steps back at once.
     */
    public Optional<String> timedOut(long now) {
        if (!trying) {
            return Optional.empty();
        }
        steps.add(kept + "→" + slots + " timed out");
        slots = kept;
        confirming = false;
        return Optional.of(settle(now, ""));
    }

    /** The level in force is measured: keep it as the base and try the next one up, unless it is the top. */
    private String accept(long now, double rate) {
        kept = slots;
        keptRate = rate;
        if (slots >= maxSlots) {
            return settle(now, " (max-slots)");
        }
        tryNext(now);
        return null;
    }

    private String judgeTrial(long now, double rate) {
        double gain = rate / keptRate - 1;
        if (gain < minGain && !confirming) {
            // measure a second window before stepping back, and go by the better one: a hiccup (a pause, a
            // neighbour's load) looks like no gain, and stopping too low costs far more throughput than a
            // second window at the higher level costs latency
            confirming = true;
            firstTrialRate = rate;
            beginWindow(now, 0);
            return null;
        }
        if (confirming) {
            rate = Math.max(rate, firstTrialRate);
            gain = rate / keptRate - 1;
            confirming = false;
        }
        String step = kept + "→" + slots + " " + String.format(Locale.ROOT, "%+d%%", Math.round(gain * 100));
        if (gain >= minGain) {
            steps.add(step);
            kept = slots;
            keptRate = rate;
            if (slots >= maxSlots) {
                return settle(now, " (max-slots)");
            }
            tryNext(now);
            return null;
        }
        steps.add(step + " (flat)");
        slots = kept;
        return settle(now, "");
    }

    private void tryNext(long now) {
        slots = Math.min(2 * kept, maxSlots);
        trying = true;
        decision = "trying " + describe(slots) + " (" + describe(kept) + " measured" + (steps.isEmpty() ? "" : ": "
                + String.join(", ", steps)) + ")";
        beginWindow(now, kept); // the calls under way began at the old level: the window starts once they are done
    }

    private String settle(long now, String why) {
        trying = false;
        settled = true;
        settledAt = now;
        decision = describe(kept) + ": " + (steps.isEmpty() ? "measured" : String.join(", ", steps)) + ", keeping " + kept + why;
        return "endpoint " + endpoint + ": " + decision;
    }

    /** Starts a window after skipping {@code skip} completions (about one round of the calls begun before a change). */
    private void beginWindow(long now, int skip) {
        toSkip = skip;
        windowStart = now;
        calls = 0;
        busyCalls = 0;
        work = 0;
        callNanos = 0;
        inFlightSum = 0;
    }

    private static String describe(int slots) {
        return slots + (slots == 1 ? " slot" : " slots");
    }
}
