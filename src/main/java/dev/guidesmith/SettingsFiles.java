package dev.guidesmith;

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
}
