package dev.guidesmith.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A check's setup runs once for what makes it, is shared and reused, and only costs speed when it fails. */
class CheckSetupTest {

    @TempDir
    Path dir;

    @Test
    void aSetupRunsOnceAndAgainOnlyWhenAFileItNamesChanges() throws Exception {
        Path header = dir.resolve("header.hpp");
        Files.writeString(header, "one");
        List<String> setup = List.of("sh", "-c", "cat \"$0\" > made.txt; date +%s%N >> made.txt", header.toString());
        Path base = dir.resolve("setups");

        Path first = CheckSetup.prepare("cpp", setup, base);
        String made = Files.readString(first.resolve("made.txt"));
        assertThat(made).startsWith("one");
        assertThat(CheckSetup.prepare("cpp", setup, base)).isEqualTo(first);
        assertThat(Files.readString(first.resolve("made.txt"))).as("not run again").isEqualTo(made);

        Files.writeString(header, "two");
        Path second = CheckSetup.prepare("cpp", setup, base);
        assertThat(second).isNotEqualTo(first);
        assertThat(Files.readString(second.resolve("made.txt"))).startsWith("two");
        try (var left = Files.list(base)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no half-made folder left")
                    .allMatch(name -> name.startsWith("cpp-"));
        }
    }

    @Test
    void aFailingSetupIsSaidOnceAndLeavesAFolderThatDoesNotExist() {
        try (LogCapture log = new LogCapture()) {
            Path folder = CheckSetup.prepare("cpp", List.of("sh", "-c", "echo 'no compiler today'; exit 1"), dir);
            assertThat(Files.exists(folder)).isFalse();
            assertThat(log.text()).contains("The setup of check cpp failed (it exited with status 1: no compiler today);"
                    + " the check runs without it, only slower");
        }
    }
}
