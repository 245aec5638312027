package dev.guidesmith.camel;

import dev.guidesmith.jobs.ItemFailure;
import dev.guidesmith.jobs.ItemRef;
import dev.guidesmith.llm.FailureKind;
import dev.guidesmith.llm.ModelCallException;

/**
 * An item that failed on a node that does not run its job (several nodes on a broker), on its way
 * to the node that does: its job's kind records the failure there (a failure record, a line of a
 * batch's errors file) and settles the item. An exception cannot cross the broker, so what the
 * kinds read of it travels as data and is made an exception again on arrival.
 */
record RelayedFailure(ItemRef item, ItemFailure failure, Cause cause) {

    /**
     * What the failure's kinds look at: a failed model call's kind, the server's refusal (status and
     * body, which a batch's errors file passes on), or just a message.
     */
    record Cause(String type, String message, FailureKind kind, String endpoint, int httpStatus, String responseBody) {

        static Cause of(Throwable error) {
            if (error instanceof ModelCallException call) {
                return new Cause(ModelCallException.class.getSimpleName(), call.getMessage(), call.kind(), call.endpoint(),
                        call.httpStatus(), call.responseBody());
            }
            return new Cause(error.getClass().getSimpleName(), error.getMessage(), null, null, 0, null);
        }

        Throwable toException() {
            if (kind != null) {
                return httpStatus > 0 ? new ModelCallException(kind, endpoint, message, httpStatus, responseBody)
                        : new ModelCallException(kind, endpoint, message);
            }
            return new RelayedException(type + ": " + message);
        }
    }

    /** A failure other than a model call's, as it was on the node where it happened. */
    static final class RelayedException extends RuntimeException {

        RelayedException(String message) {
            super(message, null, false, false);
        }
    }
}
