package dev.guidesmith.sim;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pace of a server whose requests share its throughput ({@link SimSettings#scaling()}). It keeps a clock of
 * work time that runs {@code n^(scaling-1)} as fast as the wall clock while {@code n} requests are processed: a
 * request that needs {@code w} of work (its tokens times the token latency, as on an idle server) and starts at
 * work time {@code v} is done at work time {@code v + w}, however many requests come and go meanwhile. With
 * scaling 1 (the default) the work clock is the wall clock and nothing here takes a lock.
 */
final class SharedPace {

    private final double scaling;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the number of requests processed changes: sleepers recompute when they are due. */
    private final Condition changed = lock.newCondition();
    private int processing;
    private long wallAt = System.nanoTime();
    private double workAt = wallAt;

    SharedPace(double scaling) {
        this.scaling = scaling;
    }

    private boolean shared() {
        return scaling < 1;
    }

    /** The work clock now, in nanoseconds. */
    long now() {
        if (!shared()) {
            return System.nanoTime();
        }
        lock.lock();
        try {
            advance();
            return (long) workAt;
        } finally {
            lock.unlock();
        }
    }

    /** A request took a slot: from now on the others share the throughput with it. */
    void started() {
        change(+1);
    }

    /** A request gave its slot back. */
    void ended() {
        change(-1);
    }

    /** Waits until the work clock reaches {@code work}. */
    void sleepUntil(long work) throws InterruptedException {
        if (!shared()) {
            sleepWallUntil(work);
            return;
        }
        lock.lockInterruptibly();
        try {
            while (true) {
                advance();
                double left = work - workAt;
                if (left <= 0) {
                    return;
                }
                changed.awaitNanos(Math.max(1, (long) Math.ceil(left / rate())));
            }
        } finally {
            lock.unlock();
        }
    }

    private void change(int delta) {
        if (!shared()) {
            return;
        }
        lock.lock();
        try {
            advance();
            processing = Math.max(0, processing + delta);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How fast each request progresses against the wall clock. */
    private double rate() {
        return processing <= 1 ? 1 : Math.pow(processing, scaling - 1);
    }

    private void advance() {
        long wall = System.nanoTime();
        workAt += (wall - wallAt) * rate();
        wallAt = wall;
    }

    private static void sleepWallUntil(long deadlineNanos) throws InterruptedException {
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
