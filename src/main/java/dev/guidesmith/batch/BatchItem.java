package dev.guidesmith.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.jobs.ItemRef;

/**
 * One request of a batch on its way to a model and back: where it is (its job, its line, its
 * step), the request itself, and once a model answered, the answer on its way to the batch's output
 * file. Plain data, so it can cross a broker.
 *
 * @param answer null until a model answered
 */
public record BatchItem(String job, long position, String customId, BatchEndpoint endpoint, JsonNode body, String stage,
                        BatchAnswer answer) implements ItemRef {

    /** A request not answered yet. */
    public BatchItem(String job, long position, String customId, BatchEndpoint endpoint, JsonNode body, String stage) {
        this(job, position, customId, endpoint, body, stage, null);
    }

    /** The same request at another step. */
    public BatchItem at(String step) {
        return new BatchItem(job, position, customId, endpoint, body, step, answer);
    }

    /** The same request with its answer. */
    public BatchItem answered(BatchAnswer answer) {
        return new BatchItem(job, position, customId, endpoint, body, stage, answer);
    }

    /** The model the request asks for. */
    public String model() {
        return body.path("model").asText();
    }

    @Override
    public String toString() {
        return "request " + customId + " (line " + position + ")";
    }

    /**
     * A model's answer to the request, as the output file will hold it.
     *
     * @param response the OpenAI response body ({@code chat.completion} or {@code text_completion})
     */
    public record BatchAnswer(JsonNode response, BatchUsage usage) {
    }
}
