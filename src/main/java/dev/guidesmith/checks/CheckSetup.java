package dev.guidesmith.checks;

import dev.guidesmith.support.Hashing;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A check's setup ({@code guide.check.<name>.setup}): a command run once, before the check's first
 * run, in a folder the check's command then names as {@code {setup}} (the C++ check precompiles the
 * headers LeetCode solutions assume there, so each compile takes a fraction of the time). The
 * folder is kept under the system's temporary folder, named by a hash of what made it (the command,
 * the files it names, the program it runs), so services on one machine share it, a restart reuses it,
 * and a changed header or compiler makes a new one. A setup that fails only costs speed: the check
 * runs without it, and says so once.
 */
final class CheckSetup {

    private static final Logger LOG = LoggerFactory.getLogger(CheckSetup.class);
    private static final Duration LIMIT = Duration.ofMinutes(5);

    private CheckSetup() {
    }

    /** The setup's folder, made now unless it exists; an empty folder path when it failed. */
    static Path prepare(String check, List<String> setup, Path base) {
        Path folder = base.resolve(check + "-" + stamp(setup).substring(0, 20));
        if (Files.isDirectory(folder)) {
            return folder;
        }
        Path building = null;
        try {
            Files.createDirectories(base);
            building = Files.createTempDirectory(base, "." + check + "-");
            LOG.info("Preparing check {} once for this machine: {}", check, String.join(" ", setup));
            Path output = building.resolve(".output");
            Process process = new ProcessBuilder(setup).directory(building.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullFile(building))).start();
            if (!process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IOException("it did not finish within " + LIMIT.toMinutes() + " minutes");
            }
            if (process.exitValue() != 0) {
                throw new IOException("it exited with status " + process.exitValue() + ": " + CommandRunner.read(output));
            }
            try {
                Files.move(building, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException madeMeanwhile) {
                remove(building); // another service made it meanwhile: the same thing
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(building, folder);
            }
            return folder;
        } catch (IOException e) {
            LOG.warn("The setup of check {} failed ({}); the check runs without it, only slower", check, e.getMessage());
            remove(building);
            return base.resolve(check + "-unprepared");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            remove(building);
            return base.resolve(check + "-unprepared");
        }
    }

    /** What made the folder: the command, the content of the files it names, the program's identity. */
    static String stamp(List<String> setup) {
        StringBuilder basis = new StringBuilder(String.join("\u0000", setup));
        for (String arg : setup) {
            Path file = Path.of(arg);
            try {
                if (file.isAbsolute() && Files.isRegularFile(file)) {
                    basis.append('\u0000').append(Hashing.sha256(Files.readString(file, StandardCharsets.ISO_8859_1)));
                }
            } catch (IOException e) {
                basis.append('\u0000').append(arg);
            }
        }
        Path program = CheckCatalog.locate(setup.get(0));
        if (program != null) {
            try {
                Path real = program.toRealPath();
                basis.append('\u0000').append(real).append(Files.size(real)).append(Files.getLastModifiedTime(real));
            } catch (IOException e) {
                basis.append('\u0000').append(program);
            }
        }
        return Hashing.sha256(basis.toString());
    }

    private static File nullFile(Path folder) throws IOException {
        return Files.createFile(folder.resolve(".stdin")).toFile();
    }

    private static void remove(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.debug("Could not remove {}: {}", folder, e.getMessage());
        }
    }
}
