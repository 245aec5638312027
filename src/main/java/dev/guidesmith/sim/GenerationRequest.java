package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A generation request parsed from any API into the figures the engine needs.
 *
 * @param api           the dialect
 * @param endpoint      the path it came to
 * @param model         the served model it resolved to (the name used in replies)
 * @param promptTokens  ceil(characters / 4) of all message contents (or of the prompt and system text)
 * @param promptText    the prompt text the prompt cache compares (see {@link PromptMeasure#promptText()})
 * @param contentKey    a hash of everything that decides the reply's text (model, prompt, schema, seed option)
 * @param schema        the requested JSON schema, or null
 * @param json          a JSON reply was requested (with or without a schema)
 * @param maxTokens     the output limit ({@code num_predict}, {@code max_tokens}, {@code n_predict}), or -1 for none
 * @param contextTokens the context the prompt must fit in
 * @param stream        stream the reply
 * @param includeUsage  OpenAI {@code stream_options.include_usage}
 * @param cachePrompt   the request lets the server reuse its slot's cached prompt (llama-server's
 *                      {@code cache_prompt}, default true)
 * @param stop          stop sequences: the reply ends before the first one it contains
 */
record GenerationRequest(
        SimApi api,
        String endpoint,
        String model,
        int promptTokens,
        String promptText,
        long contentKey,
        JsonNode schema,
        boolean json,
        int maxTokens,
        int contextTokens,
        boolean stream,
        boolean includeUsage,
        boolean cachePrompt,
        List<String> stop) {

    GenerationRequest {
        stop = List.copyOf(stop);
    }
}
