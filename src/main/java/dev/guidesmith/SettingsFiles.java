package dev.guidesmith;

import dev.guidesmith.support.Settings;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the settings come from. {@code ./application.properties} is the user's file; a profile
 * ({@code -Dguidesmith.profile=demo}) layers {@code ./application-demo.properties} over it. System
 * properties and environment variables beat both (camel-main's own rule).
 */
public final class SettingsFiles {

    public static final String PROFILE_PROPERTY = "guidesmith.profile";

    private SettingsFiles() {
    }

    public static String placeholderLocations() {
        String profile = System.getProperty(PROFILE_PROPERTY, System.getenv("GUIDESMITH_PROFILE"));
        // Camel's properties component lets the first location that defines a key win.
        return profile == null || profile.isBlank()
                ? "file:application.properties"
                : "file:application-" + profile.trim() + ".properties,file:application.properties";
    }

    /**
     * The same settings, same precedence, for a process that runs no Camel (the broker role): a
     * {@code -D} system property, then the environment variable (upper case, {@code .} and {@code -}
     * as {@code _}), then the files of {@link #placeholderLocations()} in their order.
     */
    public static Settings standalone() {
        List<Properties> files = new ArrayList<>();
        for (String location : placeholderLocations().split(",")) {
            Path file = Path.of(location.substring("file:".length()));
            Properties properties = new Properties();
            if (Files.isRegularFile(file)) {
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    properties.load(reader);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read the settings file " + file.toAbsolutePath(), e);
                }
            }
            files.add(properties);
        }
        return new Settings(key -> {
            String value = System.getProperty(key);
            if (value == null) {
                value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            }
            for (int i = 0; value == null && i < files.size(); i++) {
                value = files.get(i).getProperty(key);
            }
            return Optional.ofNullable(value);
        });
    }
}
