package dev.guidesmith.camel;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An Artemis client URL with options added where it does not set them itself: the settings give the
 * defaults, and a user who writes an option into {@code pipeline.broker.url} keeps it.
 */
final class BrokerUrl {

    private BrokerUrl() {
    }

    /** {@code url} with each option of {@code defaults} it lacks appended ({@code tcp://h:1?a=1&b=2}). */
    static String withDefaults(String url, Map<String, String> defaults) {
        int query = url.lastIndexOf('?');
        Set<String> given = query < 0 ? Set.of() : Arrays.stream(url.substring(query + 1).split("&"))
                .map(option -> option.split("=", 2)[0].trim())
                .filter(name -> !name.isEmpty())
                .collect(Collectors.toSet());
        Map<String, String> added = new LinkedHashMap<>(defaults);
        added.keySet().removeIf(name -> given.stream().anyMatch(name::equalsIgnoreCase));
        if (added.isEmpty()) {
            return url;
        }
        String options = added.entrySet().stream().map(option -> option.getKey() + "=" + option.getValue())
                .collect(Collectors.joining("&"));
        if (query < 0) {
            return url + "?" + options;
        }
        return url + (url.endsWith("?") || url.endsWith("&") ? "" : "&") + options;
    }
}
