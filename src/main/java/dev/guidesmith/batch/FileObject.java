package dev.guidesmith.batch;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A file as OpenAI's Files API describes it: what {@code GET /v1/files/{id}} answers, and what the
 * store keeps in {@code <id>.json}. Timestamps are Unix seconds.
 */
public record FileObject(
        String id,
        String object,
        long bytes,
        @JsonProperty("created_at") long createdAt,
        String filename,
        String purpose,
        String status) {

    /** A file ready to use: OpenAI's {@code status} is deprecated, and always {@code processed} here. */
    public static FileObject processed(String id, long bytes, long createdAt, String filename, String purpose) {
        return new FileObject(id, "file", bytes, createdAt, filename, purpose, "processed");
    }
}
