package dev.guidesmith.testkit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the shared store's tests: {@code initdb} and {@code pg_ctl} from the
 * machine's installation (Debian's {@code postgresql}: {@code /usr/lib/postgresql/<version>/bin}),
 * a fresh cluster in a temporary folder, listening on a free loopback port, trusting local logins.
 * PostgreSQL refuses to run as root, so as root both commands run as the {@code postgres} user,
 * which then owns the folder. Closing it stops the server at once and removes the folder.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "guidesmith";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path folder;
    private final int port;

    private PostgresServer(Path bin, Path folder, int port) {
        this.bin = bin;
        this.folder = folder;
        this.port = port;
    }

    /** The folder with initdb and pg_ctl, the newest version installed; empty when PostgreSQL is not. */
    public static Optional<Path> binaries() {
        Path versions = Path.of("/usr/lib/postgresql");
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(versions)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(versions)) {
                dirs.forEach(dir -> {
                    if (Files.isExecutable(dir.resolve("bin/initdb")) && Files.isExecutable(dir.resolve("bin/pg_ctl"))) {
                        found.add(dir.resolve("bin"));
                    }
                });
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return found.stream().max(Comparator.comparingInt(PostgresServer::version));
    }

    private static int version(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static boolean available() {
        return binaries().isPresent();
    }

    public static String whyUnavailable() {
        return "PostgreSQL is not installed here (no /usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql"
                + " (.ci/run installs it)";
    }

    /** Makes a cluster and starts it, without fsync (a test's data need not survive a power cut); waits until it takes connections. */
    public static PostgresServer start() throws IOException, InterruptedException {
        return start(false);
    }

    /**
     * Makes a cluster and starts it; waits until it takes connections.
     *
     * @param durable whether the server syncs its writes to disk, as a real one does (benchmarks)
     */
    public static PostgresServer start(boolean durable) throws IOException, InterruptedException {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException(whyUnavailable()));
        Path folder = Files.createTempDirectory("guidesmith-pg");
        Path data = folder.resolve("data");
        int port = ServiceUnderTest.freePort();
        if (asRoot()) {
            run(folder, "chown", "-R", "postgres:postgres", folder.toString());
        }
        run(folder, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
                "--no-sync");
        run(folder, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-o",
                "-p " + port + " -k " + folder + " -c listen_addresses=127.0.0.1 -c max_connections=200"
                        + (durable ? "" : " -c fsync=off"),
                "-l", folder.resolve("server.log").toString(), "-w", "-t", "60", "start");
        return new PostgresServer(bin, folder, port);
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(Path folder, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asRoot() && !command[0].equals("chown")) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        Path log = Files.createTempFile("guidesmith-pg-command", ".log");
        try {
            Process process = new ProcessBuilder(full).directory(folder.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish within 120 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed (exit " + process.exitValue() + "):\n"
                        + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    public int port() {
        return port;
    }

    /** A JDBC URL of the server's default database. */
    public String url() {
        return url("postgres");
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A new, empty database (one per test, so tests do not see each other's rows); its JDBC URL. */
    public String newDatabase() throws SQLException {
        String name = "test_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(url(), USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    /** The server's log, for a failing test's message. */
    public String log() throws IOException {
        Path log = folder.resolve("server.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run(folder, bin.resolve("pg_ctl").toString(), "-D", folder.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop");
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }
}
