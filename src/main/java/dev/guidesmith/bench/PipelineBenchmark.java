package dev.guidesmith.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.llm.Endpoint;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.testkit.Fleets;
import dev.guidesmith.testkit.HeapWatch;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.ScratchFolder;
import dev.guidesmith.testkit.Workloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Throughput and memory of the whole pipeline against an instant simulated server: how fast the
 * service itself can go when the model costs nothing, and how much heap a big file needs.
 *
 * <pre>
 * java -Xmx256m -cp target/guidesmith.jar dev.guidesmith.bench.PipelineBenchmark [problems] [slots]
 * </pre>
 * Prints problems/s, model calls/s and the peak heap. Defaults: 100,000 problems, 8 slots.
 */
public final class PipelineBenchmark {

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int problems = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int slots = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Map<String, String> fleet = Fleets.instantSim(slots);
        fleet.put("pipeline.progress.interval", "10s");
        try (ScratchFolder root = new ScratchFolder("guidesmith-bench-");
             InJvmService service = InJvmService.start(root.path(), fleet)) {
            Path file = Workloads.problems(root.path().resolve("problems.jsonl"), 1, problems);
            HeapWatch heap = new HeapWatch();
            long start = System.nanoTime();
            service.drop(file, "problems.jsonl");
            service.awaitSettled("problems.jsonl", Duration.ofHours(2), heap::sample);
            double seconds = (System.nanoTime() - start) / 1e9;
            JsonNode status = service.status();
            ModelFleet models = service.bean("fleet", ModelFleet.class);
            long calls = models.endpoints().stream().mapToLong(Endpoint::completed).sum();
            System.out.println();
            System.out.println("Pipeline benchmark: instant simulated server, " + slots + " slots");
            System.out.printf("  problems          %,d (%d failed)%n", status.path("settled").asLong(), status.path("failed").asLong());
            System.out.printf("  model calls       %,d%n", calls);
            System.out.printf("  elapsed           %.1f s%n", seconds);
            System.out.printf("  problems/s        %.1f%n", status.path("settled").asLong() / seconds);
            System.out.printf("  model calls/s     %.1f%n", calls / seconds);
            System.out.printf("  peak heap         %.0f MB in use at most, %.0f MB at most after a collection (max heap %.0f MB)%n",
                    heap.peakBytes() / 1e6, heap.peakAfterCollectionBytes() / 1e6, heap.maxBytes() / 1e6);
        }
    }
}
