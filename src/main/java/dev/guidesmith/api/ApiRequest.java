package dev.guidesmith.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * What a {@code /v1} request carries, read from the message platform-http made of it. Query
 * parameters are parsed from the query string itself: platform-http also turns them into headers,
 * where they would mix with the request's own headers of the same name.
 */
public final class ApiRequest {

    private final Message message;
    private final Map<String, String> query;

    private ApiRequest(Message message, Map<String, String> query) {
        this.message = message;
        this.query = query;
    }

    public static ApiRequest of(Exchange exchange) {
        Message message = exchange.getMessage();
        return new ApiRequest(message, parse(message.getHeader(Exchange.HTTP_RAW_QUERY, String.class)));
    }

    /** A path parameter, {@code {id}} in the route's path. */
    public String path(String name) {
        Object value = message.getHeader(name);
        // platform-http appends path parameters after any query parameter or header of the same name
        if (value instanceof List<?> values) {
            value = values.isEmpty() ? null : values.get(values.size() - 1);
        }
        return value == null ? null : value.toString();
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** A whole-number query parameter within {@code min..max}, {@code fallback} when absent. */
    public int query(String name, int min, int max, int fallback) {
        String value = query.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalidRequest(name + " must be a whole number from " + min + " to " + max + ", not '" + value + "'", name);
    }

    private static Map<String, String> parse(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (parameters.put(name, value) != null) {
                throw ApiException.invalidRequest("The query parameter " + name + " is given more than once: give it once", name);
            }
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest("The query string is not URL-encoded properly: " + e.getMessage(), null);
        }
    }
}
