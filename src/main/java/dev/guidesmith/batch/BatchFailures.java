package dev.guidesmith.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.guidesmith.jobs.ItemFailure;
import dev.guidesmith.llm.FailureKind;
import dev.guidesmith.llm.ModelCallException;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.util.Locale;

/**
 * What a failed request of a batch leaves: a line of the batch's errors file as OpenAI writes it.
 * A model server's refusal (4xx) keeps its status code and body as the line's response; anything
 * else (no server answered, the batch was stopped, the service failed) is the line's error.
 */
public final class BatchFailures {

    private final BatchResults results;
    private final BatchStops stops;

    public BatchFailures(BatchResults results, BatchStops stops) {
        this.results = results;
        this.stops = stops;
    }

    void record(BatchItem item, Throwable error, ItemFailure failure) {
        if (error instanceof ModelCallException call && call.httpStatus() >= 400 && call.httpStatus() < 500
                && call.responseBody() != null) {
            results.refused(item, call.httpStatus(), body(call.responseBody()));
        } else if (error instanceof BatchStoppedException stopped) {
            results.failed(item, stopped.reason().code(), stopped.reason().message());
        } else if (error instanceof ModelCallException call && call.kind() == FailureKind.CANCELLED) {
            BatchStops.Reason reason = stops.of(item.job()).orElse(BatchStops.Reason.CANCELLED);
            results.failed(item, reason.code(), reason.message());
        } else if (error instanceof ModelCallException call) {
            results.failed(item, call.kind().name().toLowerCase(Locale.ROOT), call.getMessage());
        } else {
            results.failed(item, "internal_error", failure.message());
        }
    }

    private static JsonNode body(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return TextNode.valueOf(text);
        }
    }
}
