package dev.guidesmith.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guidesmith.llm.CallOptions;
import dev.guidesmith.llm.ChatMessage;
import dev.guidesmith.llm.ModelReply;
import dev.guidesmith.llm.ModelRequest;
import dev.guidesmith.support.Hashing;
import dev.guidesmith.support.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The two halves of a batch request around its call, as the batch route uses them: before, the
 * call the request needs; after, the answer written as the response body OpenAI would give. The request goes to the endpoints that serve its model, as the user wrote it
 * (its parameters pass on untouched, and its prompt is never shortened: a prompt too long for a
 * server is that server's 400, as it would be from OpenAI); the answer is judged by the user, so a
 * reply cut at its length limit comes back with {@code finish_reason: "length"}.
 */
public final class BatchSteps {

    /** How much of a prompt's start names the prefix it may share with other requests (a rubric). */
    static final int PREFIX_CHARS = 2000;

    private final Function<String, Set<String>> endpointsServing;
    private final Batches batches;
    private final BatchResults results;

    /** @param endpointsServing the endpoints that answer to a model name */
    public BatchSteps(Function<String, Set<String>> endpointsServing, Batches batches, BatchResults results) {
        this.endpointsServing = endpointsServing;
        this.batches = batches;
        this.results = results;
    }

    /**
     * The call a request needs.
     *
     * @throws BatchStoppedException when its batch was cancelled or expired: it is not sent
     */
    public ModelRequest requestFor(BatchItem item) {
        batches.checkStillWanted(item);
        JsonNode body = item.body();
        List<ChatMessage> messages = messages(item);
        ObjectNode params = body.deepCopy();
        params.remove("model");
        return new ModelRequest(
                "batch",
                0,
                item.toString(),
                budget -> messages,
                null,
                body.path("max_completion_tokens").asInt(body.path("max_tokens").asInt(0)),
                body.path("temperature").asDouble(1.0),
                endpointsServing.apply(item.model()),
                new CallOptions(item.job(), params, true, prefixKey(item.model(), messages)));
    }

    private static List<ChatMessage> messages(BatchItem item) {
        List<ChatMessage> messages = new ArrayList<>();
        if (item.endpoint() == BatchEndpoint.COMPLETIONS) {
            messages.add(ChatMessage.user(item.body().path("prompt").asText("")));
            return messages;
        }
        for (JsonNode message : item.body().path("messages")) {
            JsonNode content = message.path("content");
            messages.add(new ChatMessage(message.path("role").asText("user"), content.isTextual() ? content.asText() : text(content)));
        }
        return messages;
    }

    /** Content given as parts ({@code [{"type": "text", "text": ...}]}): their text, joined. */
    private static String text(JsonNode parts) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : parts) {
            text.append(part.path("text").asText(""));
        }
        return text.toString();
    }

    private static String prefixKey(String model, List<ChatMessage> messages) {
        if (messages.isEmpty()) {
            return null;
        }
        String start = messages.get(0).content();
        return Hashing.sha256(model + "\n" + start.substring(0, Math.min(PREFIX_CHARS, start.length())));
    }

    /** The request with the model's answer, on its way to the node that writes the batch's output file. */
    public BatchItem withAnswer(BatchItem item, ModelReply reply) {
        return item.answered(new BatchItem.BatchAnswer(responseBody(item, reply),
                new BatchUsage(reply.promptTokens(), reply.cachedTokens(), reply.outputTokens())));
    }

    /** Writes the answer to the batch's output file. */
    public void write(BatchItem item) {
        if (item.answer() == null) {
            throw new IllegalArgumentException(item + " of job " + item.job() + " reached the output file without an answer");
        }
        results.answered(item, item.answer().response(), item.answer().usage());
    }

    /** The answer as OpenAI's response body: a {@code chat.completion} or a {@code text_completion}. */
    static JsonNode responseBody(BatchItem item, ModelReply reply) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        boolean chat = item.endpoint() == BatchEndpoint.CHAT_COMPLETIONS;
        body.put("id", (chat ? "chatcmpl-" : "cmpl-") + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
        body.put("object", item.endpoint().responseObject());
        body.put("created", Instant.now().getEpochSecond());
        body.put("model", reply.model());
        ArrayNode choices = body.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        if (chat) {
            choice.putObject("message").put("role", "assistant").put("content", reply.text());
        } else {
            choice.put("text", reply.text());
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", reply.finishReason());
        ObjectNode usage = body.putObject("usage");
        usage.put("prompt_tokens", reply.promptTokens());
        usage.put("completion_tokens", reply.outputTokens());
        usage.put("total_tokens", reply.promptTokens() + reply.outputTokens());
        usage.putObject("prompt_tokens_details").put("cached_tokens", reply.cachedTokens());
        return body;
    }
}
