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
 * It starts at 1 and climbs while the endpoint's throughput (output tokens per second over the calls completed in a
 * measuring window, by Little's law: calls under way × tokens per call ÷ time per call) rises by at least
 * {@code minGain}; at the first step that gains less, in a second window too, it steps back and keeps the level
 * before, or it stops at {@code maxSlots}. Every {@code recheck} it measures its level again and tries the next one up
 * once more, so a server that got faster is noticed. A window counts only when the endpoint was kept busy at its slot
 * count (else the work, not the server, limited the throughput) and starts once the calls under way at a change are
 * done, so calls begun under the old count do not blur the new one.
 * <p>
 * The search is paid for in throughput: every window below the right level runs the endpoint slower than it could.
 * So it is kept short where that cannot make it wrong:
 * <ul>
 * <li>A window ends as soon as its rate is known to within a third of {@code minGain} (the standard error of its
 * calls' rates), after at least two rounds of calls; only a noisy one runs to the full {@code windowCalls} and two per
 * slot. A pause or a neighbour's load makes a window noisy, so it is measured longer exactly when it needs to be.</li>
 * <li>The level to compare with is measured in one window. A depressed one (the warm-up after a start, a pause) could
 * only make the next level look better, so a gain is taken from it only when it is clear ({@link #CLEAR_GAIN} times
 * {@code minGain}); a gain short of that measures the level again, the better window counting, before deciding.</li>
 * <li>While a step gains close to what a perfectly parallel server gives (throughput growing as the calls under way
 * to the power {@link #NEAR_IDEAL}), the next step is ×4: such a server is far from its limit. A leap that gains less
 * overshot the bend: the level between is tried as an ordinary doubling, and if kept, the leap's own measurement
 * decides the level above it.</li>
 * </ul>
 * Pure logic, fed with completed calls and the time; not thread-safe (the scheduler's lock guards it).
 */
public final class SlotTuner {

    /** Share of a window's calls that must have found the endpoint busy at its slot count for the window to count. */
    static final double MIN_BUSY_SHARE = 0.75;
    /**
     * Completed calls a window has at least (and two per slot: the calls of one round run side by side, so a slowdown
     * of the machine hits them alike and their spread would not show it) before its rate may be judged steady.
     */
    static final int MIN_WINDOW_CALLS = 4;
    /** A window's rate is known once its standard error is at most this share of {@code minGain}. */
    static final double PRECISION_OF_MIN_GAIN = 1.0 / 3;
    /** A gain over a level measured in one window is believed at once from this many times {@code minGain}. */
    static final double CLEAR_GAIN = 3;
    /**
     * Scaling exponent of a near-ideal step: ×2 slots bringing ≥ 2^0.6 (+52%) throughput. A perfectly parallel server
     * brings 2^0.8 (+74%) on the simulated curve and close to ×2 on a memory-bound GPU; the margin is for the service's
     * own delays between calls, which on a loaded machine cut the measured gain of the simulated server to +40–60%.
     */
    static final double NEAR_IDEAL = 0.6;

    private enum Phase {
        /** Measuring the level in force, to compare the next one up with. */
        BASELINE,
        /** Measuring a level above {@link #kept}. */
        TRIAL,
        /** The trial showed no gain in its window: a second one decides, the better counting. */
        CONFIRM,
        /** The trial gained, but not clearly, over a level measured once: that level is measured again. */
        REBASELINE,
        /** A decision stands until the re-check. */
        SETTLED
    }

    private final String endpoint;
    private final double minGain;
    private final int windowCalls;
    private final long recheckNanos;
    private volatile int maxSlots;

    private Phase phase = Phase.BASELINE;
    /** The slot count in force. */
    private int slots = 1;
    /** The level accepted so far, its measured throughput, and whether that comes from a single window. */
    private int kept = 1;
    private double keptRate;
    /** The calls under way on average in the kept level's window (above its slots where calls wait at the server). */
    private double keptConcurrency;
    private boolean keptOnce;
    /** The trial being confirmed or waiting for its base to be measured again: its level and first window's rate. */
    private int trialSlots;
    private double trialRate;
    private double trialConcurrency;
    /** A leap that overshot, measured while the level between is tried (0 when none). */
    private int leapSlots;
    private double leapRate;
    private double leapConcurrency;
    private long settledAt;
    private final List<String> steps = new ArrayList<>();
    private volatile String decision = "measuring 1 slot";

    // the measuring window
    private int toSkip;
    private int calls;
    private int busyCalls;
    private long work;
    private long callNanos;
    private long inFlightSum;
    /** Running mean and sum of squared deviations of the calls' own rates (Welford), for the window's precision. */
    private double callRateMean;
    private double callRateSquares;
    /** The calls under way on average in the window just measured. */
    private double concurrency;

    /**
     * @param maxSlots    the most it tries ({@code llm.endpoint.<name>.max-slots})
     * @param minGain     the throughput gain a doubling must bring to be kept, e.g. 0.10 ({@code llm.auto-slots.min-gain})
     * @param windowCalls completed calls measured per level at most, with at least 2 per slot; fewer where the rate is
     *                    steady ({@code llm.auto-slots.window-calls})
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
        // the first window starts after the first completion: before it, the time went to starting up, not to calls
        beginWindow(1);
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
            if (leapSlots > maxSlots) {
                leapSlots = 0;
            }
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
        if (phase == Phase.SETTLED) {
            if (now - settledAt < recheckNanos) {
                return Optional.empty();
            }
            phase = Phase.BASELINE;
            steps.clear();
            decision = "re-checking " + describe(slots);
            beginWindow(slots);
            return Optional.empty();
        }
        if (toSkip > 0) {
            toSkip--;
            return Optional.empty();
        }
        calls++;
        busyCalls += busy ? 1 : 0;
        long tokens = Math.max(1, outputTokens);
        long nanos = Math.max(1, duration);
        int underWay = Math.max(1, inFlight);
        work += tokens;
        callNanos += nanos;
        inFlightSum += underWay;
        double callRate = (double) underWay * tokens / nanos;
        double delta = callRate - callRateMean;
        callRateMean += delta / calls;
        callRateSquares += delta * (callRate - callRateMean);
        if (!windowComplete()) {
            return Optional.empty();
        }
        if (busyCalls < MIN_BUSY_SHARE * calls) {
            if (phase == Phase.CONFIRM) {
                phase = Phase.TRIAL; // its first window is judged afresh with the next one that counts
            }
            beginWindow(0); // the work did not keep the slots busy: this window says nothing about the server
            return Optional.empty();
        }
        // Little's law: throughput = calls under way × work per call / time per call. From each call's own
        // duration, not from the window's span: calls sharing a server finish in bursts, and where a burst falls
        // against a short window's edges would sway a count-per-time figure by half
        concurrency = (double) inFlightSum / calls;
        double rate = concurrency * work * 1e9 / callNanos;
        return Optional.ofNullable(switch (phase) {
            case BASELINE -> baselineMeasured(now, rate);
            case REBASELINE -> baselineMeasuredAgain(now, rate);
            case TRIAL, CONFIRM -> trialMeasured(now, rate);
            case SETTLED -> null;
        });
    }

    /**
     * A call on this endpoint timed out. During a trial that is the answer: the server cannot take that many, so the
     * tuner steps back at once (or, while the level below is measured again, stays there).
     */
    public Optional<String> timedOut(long now) {
        if (phase == Phase.REBASELINE) {
            steps.add(kept + "→" + trialSlots + " timed out");
            return Optional.of(settle(now, ""));
        }
        if (phase != Phase.TRIAL && phase != Phase.CONFIRM) {
            return Optional.empty();
        }
        steps.add(kept + "→" + slots + " timed out");
        slots = kept;
        return Optional.of(settle(now, ""));
    }

    /**
     * Whether the window has measured enough: its full size, or two rounds of calls (at least
     * {@link #MIN_WINDOW_CALLS}) whose rate is already known to within a third of {@code minGain}.
     */
    private boolean windowComplete() {
        int full = Math.max(windowCalls, 2 * slots);
        if (calls >= full) {
            return true;
        }
        if (calls < Math.max(MIN_WINDOW_CALLS, 2 * slots) || callRateMean <= 0) {
            return false;
        }
        double standardError = Math.sqrt(callRateSquares / (calls - 1) / calls);
        return standardError <= PRECISION_OF_MIN_GAIN * minGain * callRateMean;
    }

    /** The level in force is measured: keep it as the base and try the next one up, unless it is the top. */
    private String baselineMeasured(long now, double rate) {
        kept = slots;
        keptRate = rate;
        keptConcurrency = concurrency;
        keptOnce = true;
        if (slots >= maxSlots) {
            return settle(now, " (max-slots)");
        }
        return tryAbove(2, slots);
    }

    /** The base measured a second time: the better window counts, and the trial waiting for it is judged. */
    private String baselineMeasuredAgain(long now, double rate) {
        keptRate = Math.max(keptRate, rate);
        keptOnce = false;
        if (trialRate / keptRate - 1 >= minGain) {
            int under = slots;
            slots = trialSlots;
            concurrency = trialConcurrency;
            return climb(now, trialRate, under);
        }
        // no gain over the better base: the trial level gets its second window, as any trial without gain does
        slots = trialSlots;
        phase = Phase.CONFIRM;
        decision = "trying " + describe(slots) + " again (" + progress() + ")";
        beginWindow(kept);
        return null;
    }

    private String trialMeasured(long now, double rate) {
        if (slots > 2 * kept) {
            return leapMeasured(now, rate);
        }
        if (phase == Phase.CONFIRM) {
            rate = Math.max(rate, trialRate);
        } else if (rate / keptRate - 1 < minGain) {
            // measure a second window before stepping back, and go by the better one: a hiccup (a pause, a
            // neighbour's load) looks like no gain, and stopping too low costs far more throughput than a
            // second window at the higher level costs latency
            phase = Phase.CONFIRM;
            trialRate = rate;
            beginWindow(0);
            return null;
        }
        double gain = rate / keptRate - 1;
        if (gain >= minGain && keptOnce && gain < CLEAR_GAIN * minGain) {
            // a base measured once may have been depressed (warm-up, a pause), which would fake a modest gain
            trialSlots = slots;
            trialRate = rate;
            trialConcurrency = concurrency;
            phase = Phase.REBASELINE;
            slots = kept;
            decision = "measuring " + describe(kept) + " again: " + describe(trialSlots) + " gained "
                    + percent(gain) + " (" + progress() + ")";
            beginWindow(trialSlots);
            return null;
        }
        if (gain >= minGain) {
            return climb(now, rate, slots);
        }
        steps.add(step(kept, slots, gain) + " (flat)");
        slots = kept;
        return settle(now, "");
    }

    /**
     * A ×4 leap measured: kept when it gained close to the ideal; else it overshot where the server's curve bends, and
     * the level between is tried, the leap's figure kept to judge the level above it.
     */
    private String leapMeasured(long now, double rate) {
        if (nearIdeal(rate)) {
            return climb(now, rate, slots);
        }
        steps.add(step(kept, slots, rate / keptRate - 1) + " (overshot)");
        leapSlots = slots;
        leapRate = rate;
        leapConcurrency = concurrency;
        int under = slots;
        slots = 2 * kept;
        phase = Phase.TRIAL;
        decision = "trying " + describe(slots) + " (" + progress() + ")";
        beginWindow(under);
        return null;
    }

    /**
     * The trial level gained: it becomes the base, and the next one up is tried (×4 after a near-ideal step) once the
     * calls begun at {@code under} slots are done.
     */
    private String climb(long now, double rate, int under) {
        boolean nearIdeal = nearIdeal(rate);
        steps.add(step(kept, slots, rate / keptRate - 1));
        kept = slots;
        keptRate = rate;
        keptConcurrency = concurrency;
        keptOnce = false;
        if (leapSlots > kept) {
            // the level between a leap's base and the leap was kept: the leap's own window judges the level above
            int leap = leapSlots;
            double gain = leapRate / keptRate - 1;
            leapSlots = 0;
            if (gain < minGain) {
                steps.add(step(kept, leap, gain) + " (flat)");
                return settle(now, "");
            }
            steps.add(step(kept, leap, gain));
            kept = leap;
            keptRate = leapRate;
            keptConcurrency = leapConcurrency;
            slots = leap;
            nearIdeal = false;
        }
        if (slots >= maxSlots) {
            return settle(now, " (max-slots)");
        }
        return tryAbove(nearIdeal ? 4 : 2, under);
    }

    /**
     * Whether the level in force, measured at {@code rate}, gained over the kept one close to what a perfectly parallel
     * server would: throughput growing at least as the calls under way to the power {@link #NEAR_IDEAL}. Calls under
     * way, not slots: where calls also wait at the server ({@code queue-depth}), 1→2 slots is 2→3 calls at once.
     */
    private boolean nearIdeal(double rate) {
        double more = concurrency > keptConcurrency ? concurrency / keptConcurrency : (double) slots / kept;
        return rate >= keptRate * Math.pow(more, NEAR_IDEAL);
    }

    /** Tries {@code factor} times the kept level; the window starts once the calls begun at {@code under} are done. */
    private String tryAbove(int factor, int under) {
        slots = Math.min(factor * kept, maxSlots);
        phase = Phase.TRIAL;
        decision = "trying " + describe(slots) + " (" + progress() + ")";
        beginWindow(under);
        return null;
    }

    private String settle(long now, String why) {
        phase = Phase.SETTLED;
        leapSlots = 0;
        settledAt = now;
        decision = describe(kept) + ": " + (steps.isEmpty() ? "measured" : String.join(", ", steps)) + ", keeping " + kept + why;
        return "endpoint " + endpoint + ": " + decision;
    }

    private String progress() {
        return describe(kept) + " measured" + (steps.isEmpty() ? "" : ": " + String.join(", ", steps));
    }

    /** Starts a window after skipping {@code skip} completions (about one round of the calls begun before a change). */
    private void beginWindow(int skip) {
        toSkip = skip;
        calls = 0;
        busyCalls = 0;
        work = 0;
        callNanos = 0;
        inFlightSum = 0;
        callRateMean = 0;
        callRateSquares = 0;
    }

    private static String step(int from, int to, double gain) {
        return from + "→" + to + " " + percent(gain);
    }

    private static String percent(double gain) {
        return String.format(Locale.ROOT, "%+d%%", Math.round(gain * 100));
    }

    private static String describe(int slots) {
        return slots + (slots == 1 ? " slot" : " slots");
    }
}
