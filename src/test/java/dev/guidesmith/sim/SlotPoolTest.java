package dev.guidesmith.sim;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The slot choice by cached prompt, and first come first served for requests that wait. */
class SlotPoolTest {

    private static final String LONG_A = "a".repeat(1000);
    private static final String LONG_B = "b".repeat(1000);

    @Test
    void ofSeveralFreeSlotsTheOneHoldingMostOfThePromptIsTaken() throws Exception {
        SlotPool pool = new SlotPool(3, true);
        int a = pool.take(LONG_A);
        int b = pool.take(LONG_B);
        pool.prompts().remember(a, LONG_A);
        pool.prompts().remember(b, LONG_B);
        pool.release(a);
        pool.release(b);
        assertThat(pool.take(LONG_B + "?")).isEqualTo(b);
        assertThat(pool.take(LONG_A + "?")).isEqualTo(a);
    }

    @Test
    void belowTheSimilarityThresholdTheLeastRecentlyUsedSlotIsTaken() throws Exception {
        SlotPool pool = new SlotPool(2, true);
        int first = pool.take("x");
        int second = pool.take("y");
        pool.prompts().remember(first, "ab" + LONG_A);
        pool.release(second); // released first: the least recently used
        pool.release(first);
        // shares 2 of 1,002 characters with the first slot: not similar enough
        assertThat(pool.take("ab" + LONG_B)).isEqualTo(second);
    }

    @Test
    void withTheCacheOffSlotsAreTakenLeastRecentlyUsedFirst() throws Exception {
        SlotPool pool = new SlotPool(2, false);
        int first = pool.take(LONG_A);
        pool.prompts().remember(first, LONG_A);
        pool.release(first);
        assertThat(pool.take(LONG_A)).isNotEqualTo(first);
    }

    @Test
    void waitingRequestsAreServedInArrivalOrderWhateverTheSlotHolds() throws Exception {
        SlotPool pool = new SlotPool(1, true);
        int slot = pool.take(LONG_A);
        pool.prompts().remember(slot, LONG_A);
        List<String> served = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        String[] prompts = {LONG_B, "c", LONG_A};
        for (String prompt : prompts) {
            Thread t = new Thread(() -> {
                try {
                    int s = pool.take(prompt);
                    served.add(prompt);
                    pool.release(s);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
            t.setDaemon(true);
            t.start();
            SimClient.waitFor(java.time.Duration.ofSeconds(5), () -> waiting(t));
        }
        pool.release(slot);
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(served).as("the one holding LONG_A came last, as it arrived").containsExactly(prompts);
    }

    @Test
    void aWaiterInterruptedLeavesTheQueue() throws Exception {
        SlotPool pool = new SlotPool(1, true);
        int slot = pool.take("x");
        Thread t = new Thread(() -> {
            try {
                pool.take("y");
            } catch (InterruptedException expected) {
                // leaves the queue
            }
        });
        t.start();
        SimClient.waitFor(java.time.Duration.ofSeconds(5), () -> waiting(t));
        t.interrupt();
        t.join(5000);
        pool.release(slot);
        assertThat(pool.busy(slot)).isFalse();
        assertThat(pool.take("z")).isEqualTo(slot);
    }

    private static boolean waiting(Thread t) {
        Thread.State state = t.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }
}
