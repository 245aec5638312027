package dev.guidesmith.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoneRegistryTest {

    @TempDir
    Path dir;

    @Test
    void claimsAreMemoryOnlyAndDoneIsDurable() {
        Path file = dir.resolve("done.log");
        DoneRegistry registry = new DoneRegistry(file);
        registry.open();
        assertThat(registry.claim("1@a")).isTrue();
        assertThat(registry.claim("1@a")).as("claimed by another job").isFalse();
        assertThat(registry.claim("2@b")).isTrue();
        registry.markDone("1@a");
        registry.close();

        DoneRegistry restarted = new DoneRegistry(file);
        restarted.open();
        assertThat(restarted.isDone("1@a")).isTrue();
        assertThat(restarted.isClaimedOrDone("2@b")).as("a claim does not survive a crash").isFalse();
        assertThat(restarted.claim("1@a")).isFalse();
        assertThat(restarted.claim("2@b")).isTrue();
        restarted.release("2@b");
        assertThat(restarted.claim("2@b")).isTrue();
        restarted.close();
    }

    @Test
    void ignoresAndSealsATornLastLine() throws Exception {
        Path file = dir.resolve("done.log");
        Files.writeString(file, "1@a\n2@b\n3@", StandardCharsets.UTF_8);
        DoneRegistry registry = new DoneRegistry(file);
        registry.open();
        assertThat(registry.doneCount()).isEqualTo(2);
        registry.markDone("4@d");
        registry.close();
        assertThat(Files.readAllLines(file)).containsExactly("1@a", "2@b", "3@", "4@d");
        DoneRegistry again = new DoneRegistry(file);
        again.open();
        assertThat(again.isDone("4@d")).isTrue();
        assertThat(again.isDone("3@c")).isFalse();
        again.close();
    }

    @Test
    void staysFastWithAHundredThousandKeys() throws Exception {
        Path file = dir.resolve("done.log");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            lines.append(i).append("@0123456789abcdef01234567\n");
        }
        Files.writeString(file, lines, StandardOpenOption.CREATE);
        DoneRegistry registry = new DoneRegistry(file);
        registry.open();
        assertThat(registry.doneCount()).isEqualTo(100_000);
        for (int i = 100_000; i < 120_000; i++) {
            assertThat(registry.claim(i + "@x")).isTrue();
            registry.markDone(i + "@x");
        }
        assertThat(registry.isDone("99999@0123456789abcdef01234567")).isTrue();
        registry.close();
        assertThat(Files.readAllLines(file)).hasSize(120_000);
    }
}
