package dev.guidesmith.sim;

import java.nio.charset.StandardCharsets;

/** An error reply, ready to send: status, the API's JSON body, and how the server books it. */
final class ApiException extends RuntimeException {

    private final int status;
    private final Outcome outcome;
    private final byte[] body;

    ApiException(int status, Outcome outcome, String body) {
        super(body, null, false, false);
        this.status = status;
        this.outcome = outcome;
        this.body = body.getBytes(StandardCharsets.UTF_8);
    }

    int status() {
        return status;
    }

    Outcome outcome() {
        return outcome;
    }

    byte[] body() {
        return body;
    }
}
