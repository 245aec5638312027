package dev.guidesmith.api;

import dev.guidesmith.support.Json;

/**
 * A request the API refuses, with the HTTP status and OpenAI's error fields to answer it with. The
 * message goes to the client as it is: say what was wrong and what to do.
 */
public final class ApiException extends RuntimeException {

    static final String INVALID_REQUEST = "invalid_request_error";

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public ApiException(int status, String type, String message, String param, String code) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: something in the request is wrong; {@code param} names it (or null). */
    public static ApiException invalidRequest(String message, String param) {
        return new ApiException(400, INVALID_REQUEST, message, param, null);
    }

    /** 404 for an object that does not exist; {@code param} names the parameter that held its id. */
    public static ApiException notFound(String message, String param) {
        return new ApiException(404, INVALID_REQUEST, message, param, null);
    }

    /** 404 for a file id, worded as OpenAI words it. */
    public static ApiException noSuchFile(String id, String param) {
        return notFound("No such File object: " + id + ". List the files there are with GET /v1/files.", param);
    }

    public int status() {
        return status;
    }

    public OpenAiError body() {
        return new OpenAiError(new OpenAiError.Detail(getMessage(), type, param, code));
    }

    public String json() {
        return Json.compact(body());
    }
}
