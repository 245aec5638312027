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
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The service as a real operating-system process (its own JVM, with a 256 MB heap unless told
 * otherwise, started like {@code java -jar} from the working directory, on this JVM's class path),
 * so it can be killed with SIGKILL or stopped with SIGTERM. Its output goes to a log file under its
 * root, and its garbage collections to a second one beside it, from which its heap use is read.
 */
public final class ServiceProcess extends ServiceUnderTest {

    public static final String DEFAULT_HEAP = "256m";
    /** A collection in the GC log: heap used before and after it, and the heap's size ({@code 25M->3M(64M)}). */
    private static final Pattern COLLECTION = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    private final Process process;
    private final Path log;
    private final Path gcLog;

    private ServiceProcess(Path root, Map<String, String> settings, Process process, Path log, Path gcLog) {
        super(root, settings);
        this.process = process;
        this.log = log;
        this.gcLog = gcLog;
    }

    public static ServiceProcess start(Path root, Map<String, String> overrides, String logName) throws IOException {
        return start(root, overrides, logName, DEFAULT_HEAP);
    }

    /** The same with another maximum heap, as {@code -Xmx} takes it ({@code 64m}). */
    public static ServiceProcess start(Path root, Map<String, String> overrides, String logName, String maxHeap) throws IOException {
        Map<String, String> settings = settings(root, overrides);
        Path gcLog = root.resolve(logName + ".gc");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.add("-Xlog:gc:file=" + gcLog.toAbsolutePath());
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
        return new ServiceProcess(root, settings, process, log, gcLog);
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

    /** The most heap the service used so far (as its collections found it, garbage included). */
    public long peakHeapBytes() throws IOException {
        return collections().mapToLong(c -> bytes(c.group(1), c.group(2))).max().orElse(0);
    }

    /** The most heap the service kept alive so far: the highest heap left after a collection. */
    public long peakHeapAfterCollectionBytes() throws IOException {
        return collections().mapToLong(c -> bytes(c.group(3), c.group(4))).max().orElse(0);
    }

    private Stream<MatchResult> collections() throws IOException {
        if (!Files.exists(gcLog)) {
            return Stream.empty();
        }
        return Files.readAllLines(gcLog).stream().map(COLLECTION::matcher).filter(Matcher::find).map(Matcher::toMatchResult);
    }

    private static long bytes(String amount, String unit) {
        return Long.parseLong(amount) << switch (unit) {
            case "K" -> 10;
            case "M" -> 20;
            default -> 30;
        };
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
