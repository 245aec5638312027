package dev.guidesmith.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tuner's decisions, fed with the completions of a server model whose throughput grows as
 * {@code min(slots, parallelism)^0.8} (the simulated server's contention curve) and stays flat beyond.
 */
class SlotTunerTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long TOKENS_PER_CALL = 100;

    /** A server of hidden parallelism; it completes calls evenly at the rate the tuner's slots allow. */
    private static final class ModelServer {
        int parallelism;
        long now = SECOND;
        final List<String> log = new ArrayList<>();

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
            return 100 * Math.pow(Math.min(slots, parallelism), 0.8);
        }

        void run(SlotTuner tuner, int completions) {
            for (int i = 0; i < completions; i++) {
                int slots = tuner.slots();
                now += (long) (TOKENS_PER_CALL * SECOND / rate(slots));
                // Little's law: with `slots` calls under way, each takes slots × its tokens ÷ the rate
                long duration = (long) (slots * TOKENS_PER_CALL * SECOND / rate(slots)) + (pausedCalls-- > 0 ? pause : 0);
                tuner.completed(now, TOKENS_PER_CALL, duration, slots, true).ifPresent(log::add);
            }
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
        assertEquals(List.of("endpoint gpu1: 4 slots: 1→2 +74%, 2→4 +74%, 4→8 +0% (flat), keeping 4"), server.log);
        assertEquals(server.log.get(0), "endpoint gpu1: " + tuner.decision());
    }

    @Test
    void aHiccupDuringATrialDoesNotStopTheClimb() {
        ModelServer server = new ModelServer(16);
        SlotTuner tuner = tuner(16, server.now);
        server.run(tuner, 17); // 1 slot measured (two windows after the first completion), now trying 2
        assertEquals(2, tuner.slots());
        server.pause(2 * SECOND, tuner); // a pause: the trial's first window shows no gain
        server.run(tuner, 500);
        assertEquals(16, tuner.slots());
        assertTrue(server.log.get(0).matches("endpoint gpu1: 16 slots: 1→2 \\+\\d+%, 2→4 \\+\\d+%, .*keeping 16 \\(max-slots\\)"),
                server.log.toString());
    }

    @Test
    void stopsAtMaxSlots() {
        ModelServer server = new ModelServer(64);
        SlotTuner tuner = tuner(6, server.now);
        server.run(tuner, 500);
        assertEquals(6, tuner.slots());
        assertEquals(List.of("endpoint gpu1: 6 slots: 1→2 +74%, 2→4 +74%, 4→6 +38%, keeping 6 (max-slots)"), server.log);
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
        assertEquals("endpoint gpu1: 8 slots: 2→4 +74%, 4→8 +74%, 8→16 +0% (flat), keeping 8", server.log.get(1));
    }

    @Test
    void aTimeoutDuringATrialStepsBackAtOnce() {
        ModelServer server = new ModelServer(4);
        SlotTuner tuner = tuner(16, server.now);
        server.run(tuner, 17); // 1 slot measured (two windows after the first completion), now trying 2
        assertEquals(2, tuner.slots());
        assertEquals("endpoint gpu1: 1 slot: 1→2 timed out, keeping 1", tuner.timedOut(server.now).orElseThrow());
        assertEquals(1, tuner.slots());
        assertTrue(tuner.timedOut(server.now).isEmpty(), "outside a trial a timeout is the route's business");
    }
}
