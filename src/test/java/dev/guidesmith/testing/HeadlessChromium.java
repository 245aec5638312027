package dev.guidesmith.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A page as a real browser renders it (Debian's chromium, headless): it loads the page, runs its
 * script (virtual time lets a fetch and a refresh happen) and prints the DOM. Tests using it are
 * skipped where chromium is not installed ({@code .ci/run} installs it).
 */
public final class HeadlessChromium {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private HeadlessChromium() {
    }

    public static boolean available() {
        return Files.isExecutable(CHROMIUM);
    }

    public static String whyUnavailable() {
        return "Skipped: no browser at " + CHROMIUM + " (apt-get install -y chromium; .ci/run does this)";
    }

    /** The DOM of {@code url} after its script ran; {@code dir} holds the browser's profile and log. */
    public static String renderedDom(Path dir, String url) throws IOException, InterruptedException {
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        Path out = dir.resolve("dom.html");
        Path err = dir.resolve("chromium.log");
        List<String> command = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--virtual-time-budget=8000",
                "--dump-dom", url);
        Process chromium = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!chromium.waitFor(90, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            throw new AssertionError("chromium did not finish within 90 s; its log:\n" + Files.readString(err));
        }
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(dom).as("chromium's DOM (exit %d; log: %s)", chromium.exitValue(), Files.readString(err)).contains("</html>");
        return dom;
    }
}
