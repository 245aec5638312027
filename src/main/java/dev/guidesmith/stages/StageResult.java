package dev.guidesmith.stages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One stage's result for one problem, with what produced it. This is what the stage cache stores
 * under the stage's fingerprint.
 *
 * @param content   text (a JSON string) for a text stage, the parsed reply for a data stage
 * @param source    {@code model}, {@code cache} (reused from an earlier run) or {@code input}
 * @param createdAt when the model wrote it (ISO-8601)
 */
public record StageResult(
        String stage,
        String problemId,
        String fingerprint,
        JsonNode content,
        String source,
        String endpoint,
        String model,
        boolean simulated,
        int promptTokens,
        int outputTokens,
        long millis,
        String createdAt) {
}
