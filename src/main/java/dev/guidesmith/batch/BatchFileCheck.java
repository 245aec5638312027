package dev.guidesmith.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks a whole batch input file before any request is sent, as OpenAI does: every line a JSON
 * request with a {@code custom_id} unique in the file, {@code method} POST, the batch's endpoint
 * as {@code url}, a {@code body}, and a model some endpoint of the fleet serves. Streams the file;
 * duplicates are found through a sorted array of 64-bit hashes (8 bytes a request), then confirmed
 * by a second pass over the few lines whose hashes collide.
 */
public final class BatchFileCheck {

    /** Problems listed at most; the rest are counted. */
    static final int MAX_PROBLEMS = 1000;

    /**
     * @param endpoint the endpoint every line asks for (null when no line says)
     * @param more     problems beyond the ones listed
     */
    public record Result(BatchEndpoint endpoint, long requests, List<BatchProblem> problems, long more) {

        public boolean valid() {
            return problems.isEmpty();
        }

        /** The problems as one message: the first few, and how many more. */
        public String summary(String file) {
            StringBuilder text = new StringBuilder(file).append(" is not a valid batch file");
            problems.stream().limit(10).forEach(problem -> text.append("\n  ").append(problem.message()));
            long rest = problems.size() - Math.min(10, problems.size()) + more;
            if (rest > 0) {
                text.append("\n  ... and ").append(rest).append(" more");
            }
            return text.append("\nNo request was sent. Fix the file and drop it again.").toString();
        }
    }

    private final long maxRequests;
    private final Predicate<String> servedModel;

    /**
     * @param maxRequests the most requests one file may hold ({@code pipeline.batch.max-requests})
     * @param servedModel whether some endpoint of the fleet serves a model name
     */
    public BatchFileCheck(long maxRequests, Predicate<String> servedModel) {
        this.maxRequests = maxRequests;
        this.servedModel = servedModel;
    }

    /** @param required the batch's endpoint, or empty when the file's first request sets it */
    public Result check(Path file, Optional<BatchEndpoint> required) {
        List<BatchProblem> problems = new ArrayList<>();
        long[] more = {0};
        BatchEndpoint endpoint = required.orElse(null);
        Map<String, Boolean> models = new HashMap<>();
        long[] hashes = new long[1024];
        int requests = 0;
        try (BatchLines lines = BatchLines.open(file, () -> false)) {
            while (lines.hasNext()) {
                BatchLines.Line line = lines.next();
                if (line.problem() != null) {
                    add(problems, more, line.problem());
                    continue;
                }
                BatchRequest request = line.request();
                Optional<BatchEndpoint> asked = BatchEndpoint.of(request.url());
                if (asked.isEmpty()) {
                    add(problems, more, new BatchProblem("invalid_url", line.number(), "Line " + line.number() + " has url \""
                            + request.url() + "\"; a batch runs " + BatchEndpoint.names() + ".", "url"));
                } else if (endpoint == null) {
                    endpoint = asked.get();
                } else if (asked.get() != endpoint) {
                    add(problems, more, new BatchProblem("url_mismatch", line.number(), "Line " + line.number() + " has url \""
                            + request.url() + "\", but the batch's endpoint is " + endpoint.url() + ".", "url"));
                }
                String model = request.model();
                if (model == null) {
                    add(problems, more, new BatchProblem("missing_model", line.number(), "Line " + line.number()
                            + " has no body.model: name the model to run.", "body.model"));
                } else if (!models.computeIfAbsent(model, servedModel::test)) {
                    add(problems, more, new BatchProblem("model_not_found", line.number(), "Line " + line.number()
                            + " asks for model \"" + model + "\", which no endpoint serves: set llm.endpoint.<name>.model"
                            + " or .aliases to include it.", "body.model"));
                }
                if (requests == hashes.length) {
                    hashes = Arrays.copyOf(hashes, hashes.length * 2);
                }
                hashes[requests++] = hash(request.customId());
                if (requests > maxRequests) {
                    add(problems, more, new BatchProblem("too_many_tasks", line.number(), "The file holds more than "
                            + maxRequests + " requests (pipeline.batch.max-requests): split it, or raise the setting.", null));
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the batch file " + file + ": " + e.getMessage(), e);
        }
        if (requests == 0 && problems.isEmpty()) {
            add(problems, more, new BatchProblem("empty_file", 0, "The file holds no request.", null));
        }
        duplicates(file, Arrays.copyOf(hashes, requests), problems, more);
        return new Result(endpoint, requests, problems, more[0]);
    }

    /** Lines whose custom_id an earlier line has already. */
    private static void duplicates(Path file, long[] hashes, List<BatchProblem> problems, long[] more) {
        Arrays.sort(hashes);
        Set<Long> colliding = new HashSet<>();
        for (int i = 1; i < hashes.length; i++) {
            if (hashes[i] == hashes[i - 1]) {
                colliding.add(hashes[i]);
            }
        }
        if (colliding.isEmpty()) {
            return;
        }
        Map<String, Long> firstLine = new HashMap<>();
        try (BatchLines lines = BatchLines.open(file, () -> false)) {
            while (lines.hasNext()) {
                BatchRequest request = lines.next().request();
                if (request != null && colliding.contains(hash(request.customId()))) {
                    Long first = firstLine.putIfAbsent(request.customId(), request.line());
                    if (first != null) {
                        add(problems, more, new BatchProblem("duplicate_custom_id", request.line(), "Line " + request.line()
                                + " repeats custom_id \"" + request.customId() + "\" of line " + first
                                + "; each request needs its own.", "custom_id"));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the batch file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void add(List<BatchProblem> problems, long[] more, BatchProblem problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        } else {
            more[0]++;
        }
    }

    /** 64-bit FNV-1a over the UTF-16 chars: enough to sort candidates; equal strings are confirmed. */
    static long hash(String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
