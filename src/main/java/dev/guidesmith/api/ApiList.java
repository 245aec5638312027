package dev.guidesmith.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.function.Function;

/**
 * OpenAI's list shape: {@code {"object": "list", "data", "first_id", "last_id", "has_more"}}. The
 * official clients page on with {@code after=<last_id>}; {@code has_more} is always sent.
 */
public record ApiList<T>(
        String object,
        List<T> data,
        @JsonProperty("first_id") String firstId,
        @JsonProperty("last_id") String lastId,
        @JsonProperty("has_more") boolean hasMore) {

    public static <T> ApiList<T> of(List<T> data, Function<T, String> id, boolean hasMore) {
        return new ApiList<>("list", data,
                data.isEmpty() ? null : id.apply(data.get(0)),
                data.isEmpty() ? null : id.apply(data.get(data.size() - 1)),
                hasMore);
    }
}
