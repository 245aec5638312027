package dev.guidesmith.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.testkit.Fleets;
import dev.guidesmith.testkit.HeapWatch;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.ScratchFolder;
import dev.guidesmith.testkit.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A big batch through the whole service against an instant simulated server: how fast the service
 * itself runs batch requests when the model costs nothing, how much heap a 170,000-line batch
 * needs, and whether every request got its line.
 *
 * <pre>
 * java -Xmx256m -cp target/guidesmith.jar dev.guidesmith.bench.BatchBenchmark [requests] [slots]
 * </pre>
 * Prints requests/s, the peak heap and the output lines. Defaults: 170,000 requests, 8 slots.
 */
public final class BatchBenchmark {

    private BatchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 170_000;
        int slots = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Map<String, String> fleet = Fleets.instantSim(slots);
        fleet.put("pipeline.progress.interval", "10s");
        try (ScratchFolder root = new ScratchFolder("guidesmith-batch-bench-");
             InJvmService service = InJvmService.start(root.path(), fleet)) {
            Path file = Workloads.batch(root.path().resolve("scores.jsonl"), requests, Fleets.INSTANT_MODEL, "");
            HeapWatch heap = new HeapWatch();
            long start = System.nanoTime();
            service.drop(file, "scores.jsonl");
            service.awaitSettled("scores.jsonl", Duration.ofHours(2), heap::sample);
            double seconds = (System.nanoTime() - start) / 1e9;
            JsonNode status = service.status();
            long output = lines(service.output().resolve("batches/scores.output.jsonl"));
            long errors = lines(service.output().resolve("batches/scores.errors.jsonl"));
            System.out.println();
            System.out.println("Batch benchmark: instant simulated server, " + slots + " slots");
            System.out.printf("  requests          %,d (%d failed)%n", status.path("settled").asLong(), status.path("failed").asLong());
            System.out.printf("  output lines      %,d answers, %,d errors%n", output, errors);
            System.out.printf("  elapsed           %.1f s%n", seconds);
            System.out.printf("  requests/s        %.1f%n", status.path("settled").asLong() / seconds);
            System.out.printf("  peak heap         %.0f MB in use at most, %.0f MB at most after a collection (max heap %.0f MB)%n",
                    heap.peakBytes() / 1e6, heap.peakAfterCollectionBytes() / 1e6, heap.maxBytes() / 1e6);
        }
    }

    static long lines(Path file) throws Exception {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }
}
