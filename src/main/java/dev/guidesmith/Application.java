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

    public static void main(String[] args) {
        int exitCode;
        try {
            Main main = new Main(Application.class);
            main.setPropertyPlaceholderLocations(SettingsFiles.placeholderLocations());
            GracefulSignals.stopOnSignal(main);
            exitCode = main.run(args);
        } catch (Throwable e) {
            LoggerFactory.getLogger(Application.class).error("The service stopped on an error: {}", e.toString(), e);
            exitCode = 1;
        }
        // exit explicitly: threads of embedded servers must not keep a stopped service alive
        System.exit(exitCode);
    }
}
