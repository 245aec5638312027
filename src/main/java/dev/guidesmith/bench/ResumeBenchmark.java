package dev.guidesmith.bench;

import dev.guidesmith.Application;
import dev.guidesmith.status.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Resuming a big job after a crash: a service process works through a large file against an
 * instant simulated server and is killed with SIGKILL halfway; then the service starts again (in
 * this JVM, to watch its heap) and finishes the job.
 *
 * <pre>
 * java -Xmx256m -cp target/guidesmith.jar dev.guidesmith.bench.ResumeBenchmark [problems]
 * </pre>
 * Prints the time the restart takes to skip every problem finished before the crash, the time to
 * finish, and the peak heap of the restarted service. Default: 100,000 problems.
 */
public final class ResumeBenchmark {

    private ResumeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int problems = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Map<String, String> fleet = new LinkedHashMap<>();
        fleet.put("llm.endpoints", "instant");
        fleet.put("llm.endpoint.instant.api", "sim");
        fleet.put("llm.endpoint.instant.model", "sim-instant");
        fleet.put("llm.endpoint.instant.slots", "8");
        fleet.put("llm.endpoint.instant.sim.token-latency-ms", "0");
        fleet.put("llm.endpoint.instant.sim.reply-tokens", "80");
        Path root = Files.createTempDirectory("guidesmith-resume-");
        Path file = BenchmarkRun.writeProblems(root, problems);
        Files.createDirectories(root.resolve("inbox"));

        Process first = startProcess(root, fleet);
        Files.move(file, root.resolve("inbox").resolve(file.getFileName()));
        Path doneLog = root.resolve("work/done.log");
        while (lines(doneLog) < problems / 2) {
            Thread.sleep(200);
        }
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        long doneBeforeCrash = lines(doneLog);

        BenchmarkRun.HeapWatch heap = new BenchmarkRun.HeapWatch();
        long started = System.nanoTime();
        try (BenchmarkRun run = BenchmarkRun.start(root, fleet)) {
            Progress progress = run.main().getCamelContext().getRegistry().lookupByNameAndType("progress", Progress.class);
            double skipped = -1;
            while (true) {
                Progress.Snapshot now = progress.snapshot();
                heap.sample();
                if (skipped < 0 && now.alreadyDone() >= doneBeforeCrash) {
                    skipped = (System.nanoTime() - started) / 1e9;
                }
                if (now.total() == problems && now.done() + now.failed() == problems) {
                    double finished = (System.nanoTime() - started) / 1e9;
                    System.out.println();
                    System.out.printf("Resume benchmark: %,d problems, SIGKILL after %,d were done%n", problems, doneBeforeCrash);
                    System.out.printf("  restart to every finished problem skipped   %.1f s (includes start-up)%n", skipped);
                    System.out.printf("  restart to the job finished                 %.1f s (%,d problems still to do)%n",
                            finished, problems - doneBeforeCrash);
                    System.out.printf("  peak heap of the restarted service          %.0f MB in use at most (max heap %.0f MB)%n",
                            heap.peakBytes() / 1e6, heap.maxBytes() / 1e6);
                    break;
                }
                Thread.sleep(20);
            }
        }
    }

    private static Process startProcess(Path root, Map<String, String> fleet) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        Map<String, String> settings = BenchmarkRun.folders(root);
        settings.putAll(fleet);
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Application.class.getName());
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(root.resolve("first-run.log").toFile()).start();
    }

    private static long lines(Path file) throws Exception {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }
}
