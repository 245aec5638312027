package dev.guidesmith.batch;

/** A request of a batch that was stopped (cancelled, expired) before it was sent. */
public class BatchStoppedException extends RuntimeException {

    private final BatchStops.Reason reason;

    public BatchStoppedException(BatchStops.Reason reason) {
        super(reason.message());
        this.reason = reason;
    }

    public BatchStops.Reason reason() {
        return reason;
    }
}
