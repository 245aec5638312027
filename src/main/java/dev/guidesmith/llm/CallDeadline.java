package dev.guidesmith.llm;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The end of a call's {@code llm.call-timeout-seconds}: a read can block for the whole idle timeout,
 * so at the deadline the reply is aborted, which ends a read blocked on it.
 */
final class CallDeadline implements AutoCloseable {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final long deadline;
    private final ScheduledFuture<?> alarm;

    CallDeadline(long deadlineNanos, HttpReply reply) {
        this.deadline = deadlineNanos;
        this.alarm = TIMER.schedule(reply::abort, deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    boolean passed() {
        return System.nanoTime() >= deadline;
    }

    @Override
    public void close() {
        alarm.cancel(false);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "model-call-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        // a finished call's alarm leaves the queue now, not when the deadline (half an hour away) comes
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
