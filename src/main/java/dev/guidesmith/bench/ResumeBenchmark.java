package dev.guidesmith.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.testkit.Fleets;
import dev.guidesmith.testkit.HeapWatch;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.ScratchFolder;
import dev.guidesmith.testkit.ServiceProcess;
import dev.guidesmith.testkit.ServiceUnderTest;
import dev.guidesmith.testkit.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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
        Map<String, String> fleet = Fleets.instantSim(8);
        fleet.put("pipeline.progress.interval", "10s");
        try (ScratchFolder root = new ScratchFolder("guidesmith-resume-")) {
            Path file = Workloads.problems(root.path().resolve("problems.jsonl"), 1, problems);
            Path doneLog = root.path().resolve("work/done.log");
            try (ServiceProcess first = ServiceProcess.start(root.path(), fleet, "first-run.log")) {
                first.drop(file, "problems.jsonl");
                ServiceUnderTest.await("half the problems done", Duration.ofHours(1), () -> lines(doneLog) >= problems / 2);
                first.kill();
            }
            long doneBeforeCrash = lines(doneLog);

            HeapWatch heap = new HeapWatch();
            long started = System.nanoTime();
            try (InJvmService restarted = InJvmService.start(root.path(), fleet)) {
                double skipped = -1;
                while (true) {
                    JsonNode status = restarted.status();
                    heap.sample();
                    if (skipped < 0 && status.path("alreadyDone").asLong() >= doneBeforeCrash) {
                        skipped = (System.nanoTime() - started) / 1e9;
                    }
                    if (status.path("total").asLong() == problems && status.path("settled").asLong() == problems) {
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
