package dev.guidesmith;

import org.apache.camel.main.Main;

/**
 * Starts the service: camel-main with the YAML routes under {@code routes/} and the settings in
 * {@code ./application.properties} (any key overridable with {@code -Dkey=value}).
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(Application.class);
        main.setPropertyPlaceholderLocations(SettingsFiles.placeholderLocations());
        GracefulSignals.stopOnSignal(main);
        int exitCode = main.run(args);
        System.exit(exitCode);
    }
}
