package dev.guidesmith.testing;

import dev.guidesmith.support.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real tools, run by a test on code it found (never the service's own checks): does Python parse
 * it, does g++ compile it with the headers LeetCode solutions assume. Many pieces of code are
 * checked in one process each, so a test of fifty guides does not start fifty compilers.
 */
public final class CodeTools {

    private static final String CPP_PRELUDE = "#include <bits/stdc++.h>\nusing namespace std;\n";

    private CodeTools() {
    }

    /** The program is on the PATH. */
    public static boolean installed(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** What Python 3 says of each source that does not parse; empty when all parse. */
    public static String pythonErrors(List<String> sources) throws IOException, InterruptedException {
        String script = "import ast, json, sys\n"
                + "for i, source in enumerate(json.load(sys.stdin)):\n"
                + "    try:\n"
                + "        ast.parse(source)\n"
                + "    except SyntaxError as e:\n"
                + "        print('source %d: %s' % (i, e))\n";
        return run(List.of("python3", "-c", script), Json.compact(sources), null);
    }

    /** What g++ says of the sources, each compiled in a namespace of its own; empty when all compile. */
    public static String cppErrors(List<String> sources) throws IOException, InterruptedException {
        StringBuilder unit = new StringBuilder(CPP_PRELUDE);
        for (int i = 0; i < sources.size(); i++) {
            unit.append("namespace source").append(i).append(" {\n").append(sources.get(i)).append("\n}\n");
        }
        Path file = Files.createTempFile("guidesmith-test-", ".cpp");
        try {
            Files.writeString(file, unit);
            return run(List.of("g++", "-std=c++17", "-fsyntax-only", file.toString()), "", null);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String run(List<String> argv, String stdin, Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(argv.get(0) + " did not finish");
        }
        return process.exitValue() == 0 ? output.strip() : (output.strip() + "\n(exit status " + process.exitValue() + ")").strip();
    }
}
