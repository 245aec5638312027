package dev.guidesmith.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.batch.BatchEndpoint;
import dev.guidesmith.batch.BatchRecord;
import dev.guidesmith.batch.BatchRecords;
import dev.guidesmith.batch.BatchIntake;
import dev.guidesmith.batch.Batches;
import dev.guidesmith.batch.FileObject;
import dev.guidesmith.batch.FileStore;
import dev.guidesmith.jobs.JobEngine;
import dev.guidesmith.jobs.JobStatus;
import dev.guidesmith.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * OpenAI's Batch API ({@code routes/api-batches.camel.yaml}): make a batch over an uploaded file,
 * follow it, list the batches, cancel one. A new batch answers at once, {@code validating}; its
 * file is checked next, and its requests then run as a batch job over the fleet.
 */
public final class BatchesApi {

    static final int MAX_LIST = 100;
    static final int DEFAULT_LIST = 20;
    static final int MAX_METADATA = 16;
    private static final Pattern WINDOW = Pattern.compile("(\\d+)\\s*([smhd])");

    private final FileStore files;
    private final BatchRecords records;
    private final BatchIntake intake;
    private final Batches batches;
    private final JobEngine jobs;
    private final Path results;

    /** @param results the folder of the batches' result files ({@code <pipeline.output>/batches}) */
    public BatchesApi(FileStore files, BatchRecords records, BatchIntake intake, Batches batches, JobEngine jobs, Path results) {
        this.files = files;
        this.records = records;
        this.intake = intake;
        this.batches = batches;
        this.jobs = jobs;
        this.results = results;
    }

    /** {@code POST /v1/batches}: makes the batch; returns its id, which the route has validated next. */
    public String create(Exchange exchange) {
        JsonNode request = jsonBody(exchange);
        String inputFileId = required(request, "input_file_id");
        FileObject input = files.get(inputFileId).orElseThrow(() -> ApiException.noSuchFile(inputFileId, "input_file_id"));
        if (!"batch".equals(input.purpose())) {
            throw ApiException.invalidRequest("The file " + inputFileId + " has purpose " + input.purpose()
                    + "; a batch's input is a file uploaded with purpose=batch.", "input_file_id");
        }
        String endpointUrl = required(request, "endpoint");
        BatchEndpoint endpoint = BatchEndpoint.of(endpointUrl).orElseThrow(() -> ApiException.invalidRequest(
                "This service runs batches of " + BatchEndpoint.names() + ", not " + endpointUrl + ".", "endpoint"));
        String window = required(request, "completion_window");
        Duration length = window(window);
        Map<String, String> metadata = metadata(request.get("metadata"));
        BatchRecord record = intake.create(input, endpoint, window, Instant.now().plus(length).getEpochSecond(), metadata);
        return record.id;
    }

    /** Answers a request about one batch (made, read or cancelled) with the batch as it is now. */
    public void answer(Exchange exchange, String id) {
        ApiReplies.json(exchange, 200, view(find(id, "batch_id")));
    }

    /** {@code GET /v1/batches/{id}}. */
    public void retrieve(Exchange exchange) {
        answer(exchange, ApiRequest.of(exchange).path("id"));
    }

    /** {@code GET /v1/batches?after&limit}: newest first. */
    public void list(Exchange exchange) {
        ApiRequest request = ApiRequest.of(exchange);
        int limit = request.query("limit", 1, MAX_LIST, DEFAULT_LIST);
        String after = request.query("after").filter(a -> !a.isEmpty()).orElse(null);
        List<BatchRecord> all = records.all();
        Iterator<BatchRecord> rest = all.iterator();
        if (after != null) {
            find(after, "after");
            while (rest.hasNext() && !rest.next().id.equals(after)) {
                // skip up to and including the cursor
            }
        }
        List<OpenAiBatch> page = new java.util.ArrayList<>();
        while (rest.hasNext() && page.size() < limit) {
            page.add(view(rest.next()));
        }
        ApiReplies.json(exchange, 200, ApiList.of(page, OpenAiBatch::id, rest.hasNext()));
    }

    /** {@code POST /v1/batches/{id}/cancel}. */
    public void cancel(Exchange exchange) {
        String id = ApiRequest.of(exchange).path("id");
        find(id, "batch_id");
        try {
            batches.cancel(id);
        } catch (IllegalStateException e) {
            throw ApiException.invalidRequest(e.getMessage() + ".", "batch_id");
        }
        answer(exchange, id);
    }

    /** {@code GET /v1/batches/{id}/results.csv}: the answers as a table (an extension of OpenAI's API). */
    public void resultsTable(Exchange exchange) throws IOException {
        ApiReplies.bytes(exchange, Files.newInputStream(resultFile(exchange, ".results.csv")), "text/csv; charset=utf-8");
    }

    /** {@code GET /v1/batches/{id}/summary}: counts, tokens, errors and answer distributions (an extension). */
    public void summary(Exchange exchange) throws IOException {
        ApiReplies.bytes(exchange, Files.newInputStream(resultFile(exchange, ".summary.json")), "application/json");
    }

    /** One of a batch's result files; its table and summary exist once its first answers are in. */
    private Path resultFile(Exchange exchange, String suffix) {
        String id = ApiRequest.of(exchange).path("id");
        BatchRecord record = find(id, "batch_id");
        Path file = record.outputFile == null ? null
                : results.resolve(record.outputFile.substring(0, record.outputFile.length() - ".output.jsonl".length()) + suffix);
        if (file == null || !Files.exists(file)) {
            throw ApiException.notFound("Batch " + id + " has no " + suffix.substring(1) + " yet: it is written as its answers"
                    + " come in (every pipeline.batch.table-interval) and when it ends.", "batch_id");
        }
        return file;
    }

    private BatchRecord find(String id, String param) {
        return records.get(id).orElseThrow(() -> ApiException.notFound("No such batch: " + id
                + ". List the batches there are with GET /v1/batches.", param));
    }

    private OpenAiBatch view(BatchRecord record) {
        return OpenAiBatch.of(batches.view(record,
                record.job == null ? java.util.Optional.empty() : jobs.status(record.job).map(JobStatus::counts)));
    }

    private static JsonNode jsonBody(Exchange exchange) {
        String text = exchange.getMessage().getBody(String.class);
        try {
            JsonNode body = text == null || text.isBlank() ? null : Json.MAPPER.readTree(text);
            if (body != null && body.isObject()) {
                return body;
            }
        } catch (IOException e) {
            // answered below
        }
        throw ApiException.invalidRequest("The request body must be a JSON object: {\"input_file_id\": \"file-...\","
                + " \"endpoint\": \"/v1/chat/completions\", \"completion_window\": \"24h\"}.", null);
    }

    private static String required(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ApiException.invalidRequest("Missing required parameter: '" + field + "'.", field);
        }
        return value.asText();
    }

    /** OpenAI takes "24h"; any whole number of seconds, minutes, hours or days is taken here. */
    static Duration window(String window) {
        Matcher matcher = WINDOW.matcher(window.trim());
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
            throw ApiException.invalidRequest("completion_window must be a duration such as 24h (also 90m, 3600s, 2d), not '"
                    + window + "'.", "completion_window");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private static Map<String, String> metadata(JsonNode metadata) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (metadata == null || metadata.isNull()) {
            return pairs;
        }
        if (!metadata.isObject() || metadata.size() > MAX_METADATA) {
            throw ApiException.invalidRequest("metadata must be an object of at most " + MAX_METADATA + " string values.",
                    "metadata");
        }
        metadata.fields().forEachRemaining(field -> {
            if (!field.getValue().isTextual()) {
                throw ApiException.invalidRequest("metadata." + field.getKey() + " must be a string.", "metadata");
            }
            pairs.put(field.getKey(), field.getValue().asText());
        });
        return pairs;
    }
}
