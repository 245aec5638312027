package dev.guidesmith.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Check commands as processes: no shell, the code in a file or on stdin, a time limit, a folder of their own. */
class CommandRunnerTest {

    private final CommandRunner runner = new CommandRunner(2);

    private static CheckDefinition check(String command, String prelude, Duration timeout) {
        List<String> argv = CommandLine.split(command, "guide.check.test.command");
        return new CheckDefinition("test", "python", GuidePath.parse("solutions.python", "x"), "solutions", argv, command,
                List.of(), "", null, "solution.py", prelude, timeout, List.of());
    }

    @Test
    void theCodeGoesToTheNamedFileAfterThePrelude() {
        CommandRunner.Verdict verdict = runner.run(check("cat {file}", "from typing import *", Duration.ofSeconds(10)),
                "def f():\n    return 1");
        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.message()).isEqualTo("from typing import *\ndef f():\n    return 1");
    }

    @Test
    void withoutFileTheCodeComesOnStdin() {
        CommandRunner.Verdict verdict = runner.run(check("cat", "", Duration.ofSeconds(10)), "print(1)");
        assertThat(verdict.message()).isEqualTo("print(1)");
    }

    @Test
    void nothingIsInterpretedByAShellNeitherTheCommandNorTheCode() {
        String code = "$(touch pwned) `touch pwned`; touch pwned";
        CommandRunner.Verdict verdict = runner.run(check("echo {file} $HOME \"a  b\" *", "", Duration.ofSeconds(10)), code);
        assertThat(verdict.message()).isEqualTo("solution.py $HOME a  b *");
        CommandRunner.Verdict listing = runner.run(check("sh -c \"cat solution.py; ls\"", "", Duration.ofSeconds(10)), code);
        assertThat(listing.message()).as("the code is only read: no file named pwned appeared")
                .isEqualTo(code + "\nsolution.py");
    }

    @Test
    void aFailingCommandFailsWithItsOutputOrItsExitStatus() {
        CommandRunner.Verdict said = runner.run(check("sh -c \"echo 'solution.py:1: error: no' >&2; exit 2\"", "",
                Duration.ofSeconds(10)), "x");
        assertThat(said.passed()).isFalse();
        assertThat(said.ran()).isTrue();
        assertThat(said.message()).isEqualTo("solution.py:1: error: no");
        CommandRunner.Verdict silent = runner.run(check("false", "", Duration.ofSeconds(10)), "x");
        assertThat(silent.message()).isEqualTo("false exited with status 1");
    }

    @Test
    void aCommandOverItsTimeIsStoppedWithItsChildren() {
        long started = System.nanoTime();
        CommandRunner.Verdict verdict = runner.run(check("sh -c \"sleep 30 & sleep 30\"", "", Duration.ofMillis(500)), "x");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.ran()).isTrue();
        assertThat(verdict.message()).startsWith("did not finish within 0.5 s");
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").equals("sleep 30"))
                .filter(p -> p.parent().map(parent -> parent.pid() == ProcessHandle.current().pid()).orElse(false)))
                .isEmpty();
    }

    @Test
    void eachRunHasAFolderOfItsOwnThatIsRemovedAfterwards() {
        String first = runner.run(check("pwd", "", Duration.ofSeconds(10)), "x").message();
        String second = runner.run(check("pwd", "", Duration.ofSeconds(10)), "x").message();
        assertThat(first).isNotEqualTo(second).contains("guidesmith-check-");
        assertThat(Files.exists(Path.of(first))).isFalse();
    }

    @Test
    void aCommandThatCannotStartIsNotTheCodesFault() {
        CommandRunner.Verdict verdict = runner.run(check("/no/such/program {file}", "", Duration.ofSeconds(10)), "x");
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.ran()).isFalse();
    }

    @Test
    void longOutputIsShortened() {
        CommandRunner.Verdict verdict = runner.run(check("sh -c \"yes error: again | head -c 100000; exit 1\"", "",
                Duration.ofSeconds(10)), "x");
        assertThat(verdict.message().length()).isLessThan(CommandRunner.MAX_OUTPUT_CHARS + 100);
        assertThat(verdict.message()).endsWith("[… the rest of the output is left out]");
    }

    @Test
    void commandLinesSplitLikeAShellWouldWithoutRunningOne() {
        assertThat(CommandLine.split("g++ -I {setup} -include 'a b.hpp' \"c \\\"d\\\"\" e\\ f {file}", "k"))
                .containsExactly("g++", "-I", "{setup}", "-include", "a b.hpp", "c \"d\"", "e f", "{file}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CommandLine.split("sh -c 'oops", "guide.check.x.command"))
                .hasMessageContaining("guide.check.x.command").hasMessageContaining("unclosed");
    }
}
