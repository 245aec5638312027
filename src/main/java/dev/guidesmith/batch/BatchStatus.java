package dev.guidesmith.batch;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The statuses of an OpenAI batch, in the words its API uses. */
public enum BatchStatus {
    VALIDATING, FAILED, IN_PROGRESS, FINALIZING, COMPLETED, EXPIRED, CANCELLING, CANCELLED;

    @JsonValue
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Nothing more happens to a batch in this status. */
    public boolean ended() {
        return this == FAILED || this == COMPLETED || this == EXPIRED || this == CANCELLED;
    }
}
