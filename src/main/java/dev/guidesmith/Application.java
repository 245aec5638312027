package dev.guidesmith;

import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

/**
 * Starts the service: camel-main with the YAML routes under {@code routes/} and the settings in
 * {@code ./application.properties} (any key overridable with {@code -Dkey=value}).
 */
public final class Application {

    private Application() {
    }

    /** {@code -Dguidesmith.role=broker} runs only the message broker the nodes share (see {@link BrokerRole}). */
    public static final String ROLE_PROPERTY = "guidesmith.role";

    public static void main(String[] args) {
        String role = System.getProperty(ROLE_PROPERTY, System.getenv().getOrDefault("GUIDESMITH_ROLE", "service"));
        int exitCode;
        try {
            exitCode = switch (role.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "service" -> runService(args);
                case "broker" -> BrokerRole.run(SettingsFiles.standalone());
                default -> throw new IllegalArgumentException("Unknown role " + ROLE_PROPERTY + "=" + role
                        + ": use service (the default) or broker");
            };
        } catch (Throwable e) {
            LoggerFactory.getLogger(Application.class).error("The {} stopped on an error: {}", role, e.toString(), e);
            exitCode = 1;
        }
        // exit explicitly: threads of embedded servers must not keep a stopped service alive
        System.exit(exitCode);
    }

    private static int runService(String[] args) throws Exception {
        Main main = new Main(Application.class);
        main.setPropertyPlaceholderLocations(SettingsFiles.placeholderLocations());
        GracefulSignals.stopOnSignal(main);
        return main.run(args);
    }
}
