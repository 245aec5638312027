package dev.guidesmith.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Read access to the service's settings ({@code application.properties}, {@code -D} overrides,
 * environment), with the parsing and the error messages in one place. Beans take a Settings, not
 * Camel's properties component, so they can be built from a plain map in tests.
 */
public final class Settings {

    private final Function<String, Optional<String>> lookup;

    public Settings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    public Optional<String> find(String key) {
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String string(String key, String fallback) {
        return find(key).orElse(fallback);
    }

    public String required(String key) {
        return find(key).orElseThrow(() -> new IllegalArgumentException(
                "Setting " + key + " is missing: add it to application.properties or pass -D" + key + "=..."));
    }

    public int integer(String key, int fallback) {
        return find(key).map(v -> parse(key, v, Integer::parseInt, "a whole number")).orElse(fallback);
    }

    public double decimal(String key, double fallback) {
        return find(key).map(v -> parse(key, v, Double::parseDouble, "a number")).orElse(fallback);
    }

    public boolean flag(String key, boolean fallback) {
        return find(key).map(v -> parse(key, v, Settings::parseBoolean, "true or false")).orElse(fallback);
    }

    public Duration seconds(String key, double fallbackSeconds) {
        return Duration.ofMillis(Math.round(decimal(key, fallbackSeconds) * 1000));
    }

    /** A comma-separated list; empty when the key is absent or blank. */
    public List<String> list(String key) {
        return find(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    private static boolean parseBoolean(String value) {
        return switch (value.toLowerCase()) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(value);
        };
    }

    private static <T> T parse(String key, String value, Function<String, T> parser, String expected) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Setting " + key + "=" + value + " is not " + expected);
        }
    }
}
