package dev.guidesmith.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.guidesmith.batch.BatchProblem;
import dev.guidesmith.batch.BatchRecord;
import dev.guidesmith.batch.BatchView;
import java.util.List;
import java.util.Map;

/** A batch in the shape of OpenAI's batch object: what {@code /v1/batches} answers. Timestamps are Unix seconds. */
public record OpenAiBatch(
        String id,
        String object,
        String endpoint,
        Errors errors,
        @JsonProperty("input_file_id") String inputFileId,
        @JsonProperty("completion_window") String completionWindow,
        String status,
        @JsonProperty("output_file_id") String outputFileId,
        @JsonProperty("error_file_id") String errorFileId,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("in_progress_at") Long inProgressAt,
        @JsonProperty("expires_at") Long expiresAt,
        @JsonProperty("finalizing_at") Long finalizingAt,
        @JsonProperty("completed_at") Long completedAt,
        @JsonProperty("failed_at") Long failedAt,
        @JsonProperty("expired_at") Long expiredAt,
        @JsonProperty("cancelling_at") Long cancellingAt,
        @JsonProperty("cancelled_at") Long cancelledAt,
        @JsonProperty("request_counts") RequestCounts requestCounts,
        Map<String, String> metadata,
        Usage usage) {

    /** A batch without a completion window (one dropped into the inbox) says so. */
    static final String NO_WINDOW = "none";

    public record Errors(String object, List<BatchProblem> data) {
    }

    public record RequestCounts(long total, long completed, long failed) {
    }

    public record Usage(
            @JsonProperty("input_tokens") long inputTokens,
            @JsonProperty("input_tokens_details") InputDetails inputTokensDetails,
            @JsonProperty("output_tokens") long outputTokens,
            @JsonProperty("output_tokens_details") OutputDetails outputTokensDetails,
            @JsonProperty("total_tokens") long totalTokens) {
    }

    public record InputDetails(@JsonProperty("cached_tokens") long cachedTokens) {
    }

    public record OutputDetails(@JsonProperty("reasoning_tokens") long reasoningTokens) {
    }

    static OpenAiBatch of(BatchView view) {
        BatchRecord r = view.record();
        return new OpenAiBatch(r.id, "batch", r.endpoint,
                r.errors.isEmpty() ? null : new Errors("list", r.errors),
                r.inputFileId, r.completionWindow == null ? NO_WINDOW : r.completionWindow, r.status.apiName(),
                r.outputFileId, r.errorFileId, r.createdAt, r.inProgressAt, r.expiresAt, r.finalizingAt, r.completedAt,
                r.failedAt, r.expiredAt, r.cancellingAt, r.cancelledAt,
                new RequestCounts(view.total(), view.completed(), view.failed()), r.metadata,
                new Usage(view.usage().inputTokens(), new InputDetails(view.usage().cachedTokens()), view.usage().outputTokens(),
                        new OutputDetails(0), view.usage().totalTokens()));
    }
}
