package dev.guidesmith.api;

import dev.guidesmith.support.Settings;

/**
 * The largest file {@code POST /v1/files} takes ({@code pipeline.batch.max-file-mb}). The HTTP server
 * stops reading a request body past {@link #bodyLimitBytes()}, so a bigger upload never fills the
 * disk; the upload route checks the file itself against the exact limit.
 */
public record UploadLimit(long maxFileBytes) {

    public static final String SETTING = "pipeline.batch.max-file-mb";
    static final int DEFAULT_MB = 1024;
    private static final long MB = 1024L * 1024;
    /** Room for the multipart framing and the small parts beside the file (purpose). */
    private static final long FORM_OVERHEAD = MB;

    public static UploadLimit from(Settings settings) {
        int mb = settings.integer(SETTING, DEFAULT_MB);
        if (mb < 1) {
            throw new IllegalArgumentException("Setting " + SETTING + "=" + mb + " is not a size: use 1 or more (MB)");
        }
        return new UploadLimit(mb * MB);
    }

    public long bodyLimitBytes() {
        return maxFileBytes + FORM_OVERHEAD;
    }

    /** The 413 for a file over the limit. */
    public ApiException refusal() {
        return new ApiException(413, ApiException.INVALID_REQUEST, "The file is larger than this service accepts: at most "
                + maxFileBytes / MB + " MB (setting " + SETTING + "). Split it into smaller files, or raise "
                + SETTING + " and restart the service.", "file", null);
    }
}
