package dev.guidesmith.checks;

import dev.guidesmith.support.ServiceStoppingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a command check on a piece of code: in a temporary folder of its own, the code (after the
 * check's prelude) in a file there, which the command gets as {@code {file}} or, when its command
 * does not name it, on stdin; what else it reads in {@code data.json} ({@code {data}}). The process is started from the argument list, never through a
 * shell; it runs with a time limit (then it and its children are killed) and its output
 * (stdout and stderr together) is what a failure says. At most {@code processes} checks run at once,
 * whatever the number of guides being checked.
 */
public final class CommandRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
    /** The most of a tool's output kept: the first lines are the ones that matter. */
    static final int MAX_OUTPUT_CHARS = 4000;
    private static final String OUTPUT = ".output";
    private static final String DATA = "data.json";

    /**
     * @param passed  the command exited with status 0 within its time
     * @param message what it said (its output, shortened), or why it was stopped
     * @param ran     false when the command could not be started at all (not the code's fault)
     */
    public record Verdict(boolean passed, String message, boolean ran) {
    }

    private final Semaphore processes;

    public CommandRunner(int processes) {
        this.processes = new Semaphore(Math.max(1, processes));
    }

    public Verdict run(CheckDefinition check, String code) {
        return run(check, code, null);
    }

    /** @param data what the command reads as {@code {data}} ({@code data.json}), or null */
    public Verdict run(CheckDefinition check, String code, String data) {
        try {
            processes.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceStoppingException("Check " + check.name());
        }
        Path folder = null;
        try {
            folder = Files.createTempDirectory("guidesmith-check-");
            return runIn(folder, check, code, data);
        } catch (IOException e) {
            LOG.warn("Check {} could not run ({}); the guide is not held back by it", check.name(), e.getMessage());
            return new Verdict(false, e.getMessage(), false);
        } finally {
            processes.release();
            remove(folder);
        }
    }

    private Verdict runIn(Path folder, CheckDefinition check, String code, String data) throws IOException {
        Path file = folder.resolve(check.fileName());
        if (data != null) {
            Files.writeString(folder.resolve(DATA), data, StandardCharsets.UTF_8);
        }
        String prelude = check.prelude().isEmpty() || check.prelude().endsWith("\n") ? check.prelude() : check.prelude() + "\n";
        Files.writeString(file, prelude + code + (code.endsWith("\n") ? "" : "\n"), StandardCharsets.UTF_8);
        boolean named = check.command().stream().anyMatch(arg -> arg.contains("{file}"));
        List<String> argv = check.command().stream()
                .map(arg -> arg.replace("{file}", check.fileName()).replace("{data}", DATA)).toList();
        Path output = folder.resolve(OUTPUT);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(named ? ProcessBuilder.Redirect.from(nullFile(folder)) : ProcessBuilder.Redirect.from(file.toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            LOG.warn("Check {} could not start {} ({}); the guide is not held back by it", check.name(), argv.get(0),
                    e.getMessage());
            return new Verdict(false, "could not start " + argv.get(0) + ": " + e.getMessage(), false);
        }
        try {
            if (!process.waitFor(check.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                return new Verdict(false, "did not finish within " + seconds(check) + " (stopped)\n" + read(output), true);
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new ServiceStoppingException("Check " + check.name());
        }
        String said = read(output);
        if (process.exitValue() == 0) {
            return new Verdict(true, said, true);
        }
        return new Verdict(false, said.isBlank() ? argv.get(0) + " exited with status " + process.exitValue() : said, true);
    }

    private static java.io.File nullFile(Path folder) throws IOException {
        Path empty = folder.resolve(".stdin");
        Files.createFile(empty);
        return empty.toFile();
    }

    private static String seconds(CheckDefinition check) {
        long millis = check.timeout().toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The output's beginning, as text. */
    static String read(Path output) throws IOException {
        if (!Files.exists(output)) {
            return "";
        }
        byte[] head;
        long size = Files.size(output);
        try (InputStream in = Files.newInputStream(output)) {
            head = in.readNBytes(MAX_OUTPUT_CHARS * 2);
        }
        String text = new String(head, StandardCharsets.UTF_8).strip();
        if (text.length() > MAX_OUTPUT_CHARS || size > head.length) {
            int cut = Math.min(text.length(), MAX_OUTPUT_CHARS);
            return text.substring(0, cut) + "\n[… the rest of the output is left out]";
        }
        return text;
    }

    private static void remove(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.debug("Could not remove {}: {}", path, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.debug("Could not remove the check folder {}: {}", folder, e.getMessage());
        }
    }
}
