package dev.guidesmith.testkit;

import dev.guidesmith.Application;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service as a real operating-system process (its own JVM with a 256 MB heap, started like
 * {@code java -jar} from the working directory, on this JVM's class path), so it can be killed with
 * SIGKILL or stopped with SIGTERM. Its output goes to a log file under its root.
 */
public final class ServiceProcess extends ServiceUnderTest {

    private final Process process;
    private final Path log;

    private ServiceProcess(Path root, Map<String, String> settings, Process process, Path log) {
        super(root, settings);
        this.process = process;
        this.log = log;
    }

    public static ServiceProcess start(Path root, Map<String, String> overrides, String logName) throws IOException {
        Map<String, String> settings = settings(root, overrides);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Application.class.getName());
        Path log = root.resolve(logName);
        Files.createDirectories(root);
        Process process = new ProcessBuilder(command)
                .directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ServiceProcess(root, settings, process, log);
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the process to exit; returns its exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the service did not stop within " + timeout.toSeconds() + " s of SIGTERM; see " + log);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
