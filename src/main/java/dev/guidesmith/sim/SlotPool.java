package dev.guidesmith.sim;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The slots of one server run. A request takes a free slot or waits for one, first come first served. When several
 * are free it takes the one whose cached prompt shares the longest prefix with its own, as llama-server does: below
 * {@link #MIN_SIMILARITY} of the prompt (llama-server's default {@code --slot-prompt-similarity}), or with the
 * prompt cache off, the least recently used free slot instead. A slot freed while requests wait goes to the
 * longest-waiting one, whatever it holds.
 */
final class SlotPool {

    /** The share of a prompt a free slot must hold to be preferred (llama-server's default, 0.1). */
    static final double MIN_SIMILARITY = 0.1;

    private final SlotPrompts prompts;
    private final boolean choosesByPrompt;
    /** When each slot was taken, 0 if free; read without the lock by {@code /slots}. */
    private final AtomicLongArray busySince;
    private final long[] lastReleased;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private long releases;

    SlotPool(int slots, boolean choosesByPrompt) {
        this.prompts = new SlotPrompts(slots);
        this.choosesByPrompt = choosesByPrompt;
        this.busySince = new AtomicLongArray(slots);
        this.lastReleased = new long[slots];
    }

    /** What the slots hold. */
    SlotPrompts prompts() {
        return prompts;
    }

    int size() {
        return busySince.length();
    }

    boolean busy(int slot) {
        return busySince.get(slot) != 0;
    }

    /** Takes a slot for a request with this prompt text, waiting behind earlier requests if none is free. */
    int take(String prompt) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (waiters.isEmpty()) {
                int slot = choose(prompt);
                if (slot >= 0) {
                    occupy(slot);
                    return slot;
                }
            }
            Waiter waiter = new Waiter(lock.newCondition());
            waiters.addLast(waiter);
            try {
                while (waiter.slot < 0) {
                    waiter.handed.await();
                }
            } catch (InterruptedException e) {
                if (waiter.slot >= 0) {
                    releaseLocked(waiter.slot); // handed over just as it was interrupted: pass it on
                } else {
                    waiters.remove(waiter);
                }
                throw e;
            }
            return waiter.slot;
        } finally {
            lock.unlock();
        }
    }

    void release(int slot) {
        lock.lock();
        try {
            releaseLocked(slot);
        } finally {
            lock.unlock();
        }
    }

    private void releaseLocked(int slot) {
        lastReleased[slot] = ++releases;
        Waiter next = waiters.pollFirst();
        if (next == null) {
            busySince.set(slot, 0);
            return;
        }
        occupy(slot);
        next.slot = slot;
        next.handed.signal();
    }

    private void occupy(int slot) {
        busySince.set(slot, Math.max(1, System.nanoTime()));
    }

    /** The free slot to take, or -1 if none is free. */
    private int choose(String prompt) {
        int leastRecent = -1;
        int mostSimilar = -1;
        int longest = -1;
        for (int s = 0; s < size(); s++) {
            if (busy(s)) {
                continue;
            }
            if (leastRecent < 0 || lastReleased[s] < lastReleased[leastRecent]) {
                leastRecent = s;
            }
            int common = choosesByPrompt ? prompts.commonPrefix(s, prompt) : 0;
            if (common > longest || common == longest && lastReleased[s] < lastReleased[mostSimilar]) {
                mostSimilar = s;
                longest = common;
            }
        }
        boolean similarEnough = longest > 0 && longest >= MIN_SIMILARITY * prompt.length();
        return similarEnough ? mostSimilar : leastRecent;
    }

    private static final class Waiter {
        final Condition handed;
        int slot = -1;

        Waiter(Condition handed) {
            this.handed = handed;
        }
    }
}
