package dev.guidesmith.llm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a call may carry besides its prompt.
 *
 * @param group     whose call it is (a job): calls of one group can be given up together, and the
 *                  fleet shares its slots fairly between groups
 * @param params    request parameters passed on to the server as the caller wrote them (OpenAI
 *                  names: {@code stop}, {@code seed}, {@code top_p}, {@code response_format}, ...),
 *                  translated for servers that name them otherwise; null for none
 * @param asIs      the reply is the caller's to judge: it is not checked (empty text, schema), and a
 *                  reply stopped at its length limit is an answer, not a failure
 * @param prefixKey names the start the call's prompt shares with others (a batch's rubric), so the
 *                  fleet can send it where that prefix is already cached; null for none
 */
public record CallOptions(String group, JsonNode params, boolean asIs, String prefixKey) {

    public static final CallOptions NONE = new CallOptions(null, null, false, null);

    /** A plain call of a group. */
    public static CallOptions of(String group) {
        return new CallOptions(group, null, false, null);
    }

    /** The same options, naming the prompt start the call shares with others (null: none). */
    public CallOptions withPrefix(String key) {
        return new CallOptions(group, params, asIs, key);
    }
}
