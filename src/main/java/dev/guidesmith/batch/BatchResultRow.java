package dev.guidesmith.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One request's result as cells of the results table: the answer (its schema fields, or the text),
 * then status ({@code answered}, {@code failed}, {@code pending}), error and tokens.
 */
record BatchResultRow(List<String> cells) {

    static BatchResultRow of(JsonNode line, List<String> answerColumns, boolean schemaAnswers, BatchSummaries summary) {
        List<String> cells = new ArrayList<>();
        if (line == null) {
            answerColumns.forEach(column -> cells.add(""));
            cells.addAll(List.of("pending", "", "", "", ""));
            summary.pending();
            return new BatchResultRow(cells);
        }
        JsonNode response = line.path("response");
        if (response.path("status_code").asInt() == 200) {
            JsonNode body = response.path("body");
            JsonNode choice = body.path("choices").path(0);
            String text = choice.has("message") ? choice.path("message").path("content").asText("") : choice.path("text").asText("");
            if (schemaAnswers) {
                JsonNode answer = parse(text);
                for (String column : answerColumns) {
                    JsonNode value = answer.path(column);
                    cells.add(value.isMissingNode() || value.isNull() ? "" : value.isValueNode() ? value.asText() : Json.compact(value));
                    if (value.isNumber()) {
                        summary.value(column, value.asDouble());
                    }
                }
            } else {
                cells.add(text);
            }
            JsonNode usage = body.path("usage");
            long prompt = usage.path("prompt_tokens").asLong();
            long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong();
            long output = usage.path("completion_tokens").asLong();
            summary.answered(prompt, cached, output);
            cells.addAll(List.of("answered", "", Long.toString(prompt), Long.toString(cached), Long.toString(output)));
            return new BatchResultRow(cells);
        }
        answerColumns.forEach(column -> cells.add(""));
        String code;
        String message;
        if (response.isObject()) {
            code = "http_" + response.path("status_code").asInt();
            JsonNode error = response.path("body").path("error");
            message = "HTTP " + response.path("status_code").asInt() + ": " + (error.isObject() ? error.path("message").asText()
                    : error.isTextual() ? error.asText() : Json.compact(response.path("body")));
        } else {
            code = line.path("error").path("code").asText("error");
            message = code + ": " + line.path("error").path("message").asText("");
        }
        summary.failed(code);
        cells.addAll(List.of("failed", message, "", "", ""));
        return new BatchResultRow(cells);
    }

    /** An answer that should be JSON; one that is not yields empty cells. */
    private static JsonNode parse(String text) {
        try {
            JsonNode answer = Json.MAPPER.readTree(text);
            return answer == null ? Json.MAPPER.createObjectNode() : answer;
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }
}
