package dev.guidesmith.batch;

import java.util.Arrays;
import java.util.Optional;

/** The OpenAI endpoints a batch may run: what its lines' {@code url} and the batch's {@code endpoint} name. */
public enum BatchEndpoint {
    CHAT_COMPLETIONS("/v1/chat/completions", "chat.completion"),
    COMPLETIONS("/v1/completions", "text_completion");

    private final String url;
    private final String responseObject;

    BatchEndpoint(String url, String responseObject) {
        this.url = url;
        this.responseObject = responseObject;
    }

    public String url() {
        return url;
    }

    /** The {@code object} of the response bodies it gives. */
    public String responseObject() {
        return responseObject;
    }

    public static Optional<BatchEndpoint> of(String url) {
        return Arrays.stream(values()).filter(endpoint -> endpoint.url.equals(url)).findFirst();
    }

    public static String names() {
        return CHAT_COMPLETIONS.url + " or " + COMPLETIONS.url;
    }
}
