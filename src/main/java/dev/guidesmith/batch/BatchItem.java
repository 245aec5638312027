package dev.guidesmith.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.jobs.ItemRef;

/**
 * One request of a batch on its way to a model and back: where it is (its job, its line, its
 * step) and the request itself. Plain data, so it can cross a broker.
 */
public record BatchItem(String job, long position, String customId, BatchEndpoint endpoint, JsonNode body, String stage)
        implements ItemRef {

    /** The same request at another step. */
    public BatchItem at(String step) {
        return new BatchItem(job, position, customId, endpoint, body, step);
    }

    /** The model the request asks for. */
    public String model() {
        return body.path("model").asText();
    }

    @Override
    public String toString() {
        return "request " + customId + " (line " + position + ")";
    }
}
