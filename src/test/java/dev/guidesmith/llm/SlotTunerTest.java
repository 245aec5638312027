package dev.guidesmith.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tuner's decisions, fed with the completions of a server model whose throughput grows as
 * {@code min(slots, parallelism)^0.8} (the simulated server's contention curve, or another exponent) and stays flat
 * beyond.
 */
class SlotTunerTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long TOKENS_PER_CALL = 100;

    /** A server of hidden parallelism; it completes calls evenly at the rate the tuner's slots allow. */
    private static final class ModelServer {
        int parallelism;
        /** How throughput grows with the calls it runs at once: 0.8 on the simulated server, 1 on an ideal one. */
        double exponent = 0.8;
        /** Its speed relative to its curve: below 1 while it warms up or a neighbour loads the machine. */
        double speed = 1;
        /** Each call's duration is this share longer or shorter than the curve says, alternately: a noisy machine. */
        double jitter;
        long now = SECOND;
        final List<String> log = new ArrayList<>();
        /** The slot levels the tuner set, in order, repeats left out. */
        final List<Integer> levels = new ArrayList<>();
        /** Completions fed so far. */
        int completions;

        /** Added to the durations of the calls under way: a pause of the machine. */
        long pause;
        int pausedCalls;

        ModelServer(int parallelism) {
            this.parallelism = parallelism;
        }

        void pause(long nanos, SlotTuner tuner) {
            now += nanos;
            pause = nanos;
            pausedCalls = tuner.slots();
        }

        /** Tokens per second with this many calls sent at once: one call alone makes 100. */
        double rate(int slots) {
            return speed * 100 * Math.pow(Math.min(slots, parallelism), exponent);
        }

        void run(SlotTuner tuner, int count) {
            for (int i = 0; i < count; i++) {
                int slots = tuner.slots();
                if (levels.isEmpty() || levels.get(levels.size() - 1) != slots) {
                    levels.add(slots);
                }
                now += (long) (TOKENS_PER_CALL * SECOND / rate(slots));
                // Little's law: with `slots` calls under way, each takes slots × its tokens ÷ the rate
                double noise = 1 + (completions++ % 2 == 0 ? jitter : -jitter);
                long duration = (long) (noise * slots * TOKENS_PER_CALL * SECOND / rate(slots)) + (pausedCalls-- > 0 ? pause : 0);
                tuner.completed(now, TOKENS_PER_CALL, duration, slots, true).ifPresent(log::add);
            }
        }

        /** Feeds completions until the tuner sets {@code slots}; fails after 1000. */
        void runUntilSlots(SlotTuner tuner, int slots) {
            for (int i = 0; i < 1000 && tuner.slots() != slots; i++) {
                run(tuner, 1);
            }
            assertEquals(slots, tuner.slots(), "never reached: " + tuner.decision());
        }

        /** Feeds completions until the tuner logs a decision, and says how many it took; fails after 1000. */
        int runUntilDecided(SlotTuner tuner) {
            int before = completions;
            for (int i = 0; i < 1000 && log.isEmpty(); i++) {
                run(tuner, 1);
            }
            assertFalse(log.isEmpty(), "no decision: " + tuner.decision());
            return completions - before;
        }
    }

    private static SlotTuner tuner(int maxSlots, long now) {
        return new SlotTuner("gpu1", maxSlots, 0.10, 8, Duration.ofMinutes(10), now);
    }

    @Test
    void aServerThatRunsOneCallAtATimeKeepsOneSlot() {
        ModelServer server = new ModelServer(1);
        SlotTuner tuner = tuner(16, server.now);
        server.run(tuner, 500);
        assertEquals(1, tuner.slots());
        assertEquals(List.of("endpoint gpu1: 1 slot: 1→2 +0% (flat), keeping 1"), server.log);
    }

    @Test
    void climbsWhileThroughputRisesAndStepsBackWhereItFlattens() {
        ModelServer server = new ModelServer(4);
        SlotTuner tuner = tuner(16, server.now);
        server.run(tuner, 500);
        assertEquals(4, tuner.slots());
        // 1→2 gains near the ideal, so it leaps to 8, which overshoots: 4, between, is tried and kept, 8 being flat
        assertEquals(List.of("endpoint gpu1: 4 slots: 1→2 +74%, 2→8 +74% (overshot), 2→4 +74%, 4→8 +0% (flat), keeping 4"),
                server.log);
        assertEquals(server.log.get(0), "endpoint gpu1: " + tuner.decision());
        assertEquals(List.of(1, 2, 8, 4), server.levels);
    }

    @Test
    void aHiccupDuringATrialDoesNotStopTheClimb() {
        ModelServer server = new ModelServer(16);
        SlotTuner tuner = tuner(16, server.now);
        server.runUntilSlots(tuner, 2); // 1 slot measured, now trying 2
        server.pause(2 * SECOND, tuner); // a pause: the trial's first window shows no gain
        server.run(tuner, 500);
        assertEquals(16, tuner.slots());
        assertTrue(server.log.get(0).matches("endpoint gpu1: 16 slots: 1→2 \\+\\d+%, .*keeping 16 \\(max-slots\\)"),
                server.log.toString());
    }

    @Test
    void stopsAtMaxSlots() {
        ModelServer server = new ModelServer(64);
        SlotTuner tuner = tuner(6, server.now);
        server.run(tuner, 500);
        assertEquals(6, tuner.slots());
        assertEquals(List.of("endpoint gpu1: 6 slots: 1→2 +74%, 2→6 +141%, keeping 6 (max-slots)"), server.log);
    }

    @Test
    void aServerThatSaysHowManyItRunsBoundsTheSearch() {
        ModelServer server = new ModelServer(64);
        SlotTuner tuner = tuner(16, server.now);
        tuner.serverRuns(2);
        server.run(tuner, 500);
        assertEquals(2, tuner.slots());
        assertTrue(server.log.get(0).endsWith("keeping 2 (max-slots)"), server.log.toString());
    }

    @Test
    void windowsWhereTheWorkDidNotFillTheSlotsDecideNothing() {
        SlotTuner tuner = tuner(16, SECOND);
        long now = SECOND;
        for (int i = 0; i < 200; i++) {
            now += SECOND / 10;
            assertTrue(tuner.completed(now, TOKENS_PER_CALL, SECOND / 10, 1, false).isEmpty());
        }
        assertEquals(1, tuner.slots());
        assertEquals("measuring 1 slot", tuner.decision());
    }

    @Test
    void rechecksAfterAWhileAndFindsAServerThatGrew() {
        ModelServer server = new ModelServer(2);
        SlotTuner tuner = tuner(16, server.now);
        server.run(tuner, 200);
        assertEquals(2, tuner.slots());
        server.parallelism = 8; // e.g. another tenant left the GPU
        server.run(tuner, 200);
        assertEquals(2, tuner.slots(), "a decision stands until the re-check");
        server.now += Duration.ofMinutes(10).toNanos();
        server.run(tuner, 1000);
        assertEquals(8, tuner.slots());
        assertEquals("endpoint gpu1: 2 slots: 1→2 +74%, 2→8 +0% (overshot), 2→4 +0% (flat), keeping 2", server.log.get(0));
        assertEquals("endpoint gpu1: 8 slots: 2→4 +74%, 4→16 +74% (overshot), 4→8 +74%, 8→16 +0% (flat), keeping 8",
                server.log.get(1));
    }

    @Test
    void aTimeoutDuringATrialStepsBackAtOnce() {
        ModelServer server = new ModelServer(4);
        SlotTuner tuner = tuner(16, server.now);
        server.runUntilSlots(tuner, 2); // 1 slot measured, now trying 2
        assertEquals("endpoint gpu1: 1 slot: 1→2 timed out, keeping 1", tuner.timedOut(server.now).orElseThrow());
        assertEquals(1, tuner.slots());
        assertTrue(tuner.timedOut(server.now).isEmpty(), "outside a trial a timeout is the route's business");
    }

    @Test
    void leapsWhileEachStepGainsNearTheIdeal() {
        ModelServer server = new ModelServer(16);
        SlotTuner tuner = tuner(16, server.now);
        server.run(tuner, 500);
        assertEquals(List.of("endpoint gpu1: 16 slots: 1→2 +74%, 2→8 +203%, 8→16 +74%, keeping 16 (max-slots)"), server.log);
        assertEquals(List.of(1, 2, 8, 16), server.levels, "4 is leapt over");
    }

    @Test
    void aLeapThatTimesOutStepsBackToTheLevelBelowIt() {
        ModelServer server = new ModelServer(16);
        SlotTuner tuner = tuner(16, server.now);
        server.runUntilSlots(tuner, 8);
        assertEquals("endpoint gpu1: 2 slots: 1→2 +74%, 2→8 timed out, keeping 2", tuner.timedOut(server.now).orElseThrow());
        assertEquals(2, tuner.slots());
    }

    @Test
    void aSteadyRateIsJudgedEarlyANoisyOneAfterTheFullWindow() {
        ModelServer steady = new ModelServer(1);
        int steadyCalls = steady.runUntilDecided(tuner(16, steady.now));
        // first completion + 4 at 1 slot; 1 begun at 1 slot + 4 at 2 slots; 4 more at 2 slots to confirm the no-gain
        assertEquals(14, steadyCalls);

        ModelServer noisy = new ModelServer(1);
        noisy.jitter = 0.3;
        int noisyCalls = noisy.runUntilDecided(tuner(16, noisy.now));
        assertEquals(List.of("endpoint gpu1: 1 slot: 1→2 +0% (flat), keeping 1"), noisy.log);
        assertEquals(1 + 8 + 1 + 8 + 8, noisyCalls, "noisy windows run to llm.auto-slots.window-calls");
    }

    @Test
    void aModestGainOverABaseMeasuredOnceMeasuresTheBaseAgain() {
        // the server warms up during the first window: it looks 15% slower than it is
        ModelServer server = new ModelServer(1);
        server.speed = 0.85;
        SlotTuner tuner = tuner(16, server.now);
        server.runUntilSlots(tuner, 2);
        server.speed = 1;
        server.runUntilSlots(tuner, 1);
        assertTrue(tuner.decision().startsWith("measuring 1 slot again: 2 slots gained +18%"), tuner.decision());
        server.run(tuner, 500);
        assertEquals(1, tuner.slots());
        assertEquals(List.of("endpoint gpu1: 1 slot: 1→2 +0% (flat), keeping 1"), server.log);
        assertEquals(List.of(1, 2, 1, 2, 1), server.levels, "2 slots get their second window before the step back");
    }

    @Test
    void aModestGainThatHoldsAgainstTheBaseMeasuredAgainIsKept() {
        ModelServer server = new ModelServer(2);
        server.exponent = Math.log(1.2) / Math.log(2); // 2 calls at once bring 20% more
        SlotTuner tuner = tuner(16, server.now);
        server.run(tuner, 500);
        assertEquals(2, tuner.slots());
        assertEquals(List.of("endpoint gpu1: 2 slots: 1→2 +20%, 2→4 +0% (flat), keeping 2"), server.log);
        // the gain held against the base measured again: 2 is kept from its window, and 4 tried straight from 1
        assertEquals(List.of(1, 2, 1, 4, 2), server.levels);
    }

    @Test
    void aTimeoutWhileTheBaseIsMeasuredAgainEndsTheTrial() {
        ModelServer server = new ModelServer(1);
        server.speed = 0.85; // warming up: 2 slots gain modestly over the first window at 1
        SlotTuner tuner = tuner(16, server.now);
        server.runUntilSlots(tuner, 2);
        server.speed = 1;
        server.runUntilSlots(tuner, 1);
        assertEquals("endpoint gpu1: 1 slot: 1→2 timed out, keeping 1", tuner.timedOut(server.now).orElseThrow());
        server.run(tuner, 500);
        assertEquals(1, tuner.slots(), "the decision stands until the re-check");
    }
}
