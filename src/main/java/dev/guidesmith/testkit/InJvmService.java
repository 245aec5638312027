package dev.guidesmith.testkit;

import dev.guidesmith.Application;
import dev.guidesmith.SettingsFiles;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The real service in this JVM: camel-main with the project's application.properties and YAML
 * routes, with the folders and settings of {@link #settings(Path, Map)} laid over them (as
 * {@code -D} would), so a test can also look at its beans.
 */
public final class InJvmService extends ServiceUnderTest {

    private final Main main;

    private InJvmService(Path root, Map<String, String> settings, Main main) {
        super(root, settings);
        this.main = main;
    }

    public static InJvmService start(Path root, Map<String, String> overrides) throws Exception {
        Map<String, String> settings = settings(root, overrides);
        Main main = new Main(Application.class);
        main.setPropertyPlaceholderLocations(SettingsFiles.placeholderLocations());
        settings.forEach(main::addOverrideProperty);
        main.start();
        return new InJvmService(root, settings, main);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public <T> T bean(String name, Class<T> type) {
        return context().getRegistry().lookupByNameAndType(name, type);
    }

    @Override
    public void close() {
        main.stop();
    }
}
