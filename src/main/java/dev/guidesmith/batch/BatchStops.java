package dev.guidesmith.batch;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Batches told to stop before their end (cancelled, or past their completion window), by job: their
 * requests not yet sent are not sent, but written as failed with the reason's code.
 */
public final class BatchStops {

    /** How a batch was stopped: OpenAI's error code for its unsent requests. */
    public enum Reason {
        CANCELLED("batch_cancelled", "the batch was cancelled before this request was sent"),
        EXPIRED("batch_expired", "the batch's completion window ended before this request was sent");

        private final String code;
        private final String message;

        Reason(String code, String message) {
            this.code = code;
            this.message = message;
        }

        public String code() {
            return code;
        }

        public String message() {
            return message;
        }
    }

    private final Map<String, Reason> stopped = new ConcurrentHashMap<>();

    /** The first reason wins: a batch cancelled and then expired stays cancelled. */
    public void stop(String job, Reason reason) {
        stopped.putIfAbsent(job, reason);
    }

    public Optional<Reason> of(String job) {
        return Optional.ofNullable(stopped.get(job));
    }

    public void forget(String job) {
        stopped.remove(job);
    }
}
