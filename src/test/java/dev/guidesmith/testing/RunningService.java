package dev.guidesmith.testing;

import dev.guidesmith.Application;
import dev.guidesmith.SettingsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The real service, in this JVM: camel-main with the project's application.properties and YAML
 * routes, with test folders and endpoints laid over them as overrides (as -D would).
 */
public final class RunningService implements AutoCloseable {

    private final Main main;
    private final Path root;

    private RunningService(Main main, Path root) {
        this.main = main;
        this.root = root;
    }

    /** Folders under {@code root}: inbox, output, work. */
    public static Map<String, String> folders(Path root) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("pipeline.inbox", root.resolve("inbox").toString());
        settings.put("pipeline.output", root.resolve("output").toString());
        settings.put("pipeline.work", root.resolve("work").toString());
        settings.put("pipeline.inbox.poll-ms", "100");
        settings.put("pipeline.inbox.settle-ms", "200");
        settings.put("pipeline.progress.interval", "5s");
        settings.put("camel.main.shutdown-timeout", "10");
        // no status page unless a test asks for one (on a free port: see freePort())
        settings.put("pipeline.http.port", "0");
        return settings;
    }

    public static RunningService start(Path root, Map<String, String> overrides) throws Exception {
        Map<String, String> settings = folders(root);
        settings.putAll(overrides);
        Main main = new Main(Application.class);
        main.setPropertyPlaceholderLocations(SettingsFiles.placeholderLocations());
        settings.forEach(main::addOverrideProperty);
        main.start();
        return new RunningService(main, root);
    }

    /** A port nothing listens on now, for a test's status page. */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public <T> T bean(String name, Class<T> type) {
        return context().getRegistry().lookupByNameAndType(name, type);
    }

    public Path inbox() {
        return root.resolve("inbox");
    }

    public Path output() {
        return root.resolve("output");
    }

    public Path work() {
        return root.resolve("work");
    }

    /** Drops a file into the inbox the way a user would: written elsewhere, then moved in. */
    public Path drop(Path file, String name) throws IOException {
        Files.createDirectories(inbox());
        Path staging = root.resolve("staging-" + name);
        Files.copy(file, staging);
        return Files.move(staging, inbox().resolve(name));
    }

    public Path drop(String content, String name) throws IOException {
        Files.createDirectories(inbox());
        Path staging = root.resolve("staging-" + name);
        Files.writeString(staging, content);
        return Files.move(staging, inbox().resolve(name));
    }

    public long guideCount() throws IOException {
        return guides().size();
    }

    /** The guides in the output folder ({@code question_*.md}; not the index, nor a file being written). */
    public List<Path> guides() throws IOException {
        if (!Files.isDirectory(output())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(output())) {
            return files.filter(f -> f.getFileName().toString().matches("question_.*\\.md")).sorted().toList();
        }
    }

    public long failureCount() throws IOException {
        Path failed = work().resolve("failed");
        if (!Files.isDirectory(failed)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(failed)) {
            return files.filter(f -> f.toString().endsWith(".json")).count();
        }
    }

    /** No job left in the work folder: every accepted problem is settled. */
    public boolean jobsSettled() throws IOException {
        Path jobs = work().resolve("jobs");
        if (!Files.isDirectory(jobs)) {
            return false;
        }
        try (Stream<Path> dirs = Files.list(jobs)) {
            return dirs.noneMatch(d -> !d.getFileName().toString().equals("finished") && Files.isDirectory(d));
        }
    }

    /** Waits until the dropped file was taken (accepted or rejected) and every job is settled. */
    public void awaitSettled(String droppedName, Duration timeout) throws Exception {
        await(droppedName + " to be taken and every job settled", timeout,
                () -> (Files.exists(inbox().resolve(".done").resolve(droppedName))
                        || Files.exists(inbox().resolve(".rejected").resolve(droppedName)))
                        && jobsSettled());
    }

    public static void await(String what, Duration timeout, ThrowingSupplier condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        main.stop();
    }

    /** A condition that may read files. */
    @FunctionalInterface
    public interface ThrowingSupplier {
        boolean get() throws Exception;
    }
}
