package dev.guidesmith.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.sim.CallRecord;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.testkit.Fleets;
import dev.guidesmith.testkit.HeapWatch;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.ScratchFolder;
import dev.guidesmith.testkit.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A big batch through the whole service against an instant simulated server: how fast the service
 * itself runs batch requests when the model costs nothing, how much heap a 170,000-line batch
 * needs, and whether every request got its line.
 *
 * <pre>
 * java -Xmx256m -cp target/guidesmith.jar dev.guidesmith.bench.BatchBenchmark [requests] [slots] [shared-prefix-requests]
 * </pre>
 * Prints requests/s, the peak heap and the output lines. Then a second batch whose requests all
 * start with the same 2,000-token rubric runs on two simulated llama.cpp servers that keep a prompt
 * cache per slot (as llama-server does), and the share of prompt tokens the servers report as
 * cached is printed. Defaults: 170,000 requests, 8 slots, 2,000 requests with the shared rubric.
 */
public final class BatchBenchmark {

    private BatchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 170_000;
        int slots = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int sharedPrefixRequests = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
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
        if (sharedPrefixRequests > 0) {
            sharedPrefix(sharedPrefixRequests);
        }
    }

    /** A rubric of about 2,000 tokens (the simulator counts 4 characters a token). */
    static final String RUBRIC = ("Score the candidate from 1 to 5 on each of these criteria, with one sentence of evidence"
            + " for each score: depth of experience, clarity of communication, ownership of outcomes, and fit. ").repeat(40);

    private static void sharedPrefix(int requests) throws Exception {
        try (ScratchFolder root = new ScratchFolder("guidesmith-batch-prefix-");
             SimulatedModelServer one = new SimulatedModelServer(SimSettings.defaults().withName("one").withSlots(4)
                     .withReplyTokens(20).withModels(Fleets.INSTANT_MODEL)).start();
             SimulatedModelServer two = new SimulatedModelServer(SimSettings.defaults().withName("two").withSlots(4)
                     .withReplyTokens(20).withModels(Fleets.INSTANT_MODEL)).start()) {
            Map<String, String> fleet = new java.util.LinkedHashMap<>();
            fleet.put("llm.endpoints", "one,two");
            for (SimulatedModelServer server : List.of(one, two)) {
                String name = server.settings().name();
                fleet.put("llm.endpoint." + name + ".api", "llamacpp");
                fleet.put("llm.endpoint." + name + ".url", server.baseUri().toString());
                fleet.put("llm.endpoint." + name + ".model", Fleets.INSTANT_MODEL);
            }
            try (InJvmService service = InJvmService.start(root.path(), fleet)) {
                Path file = Workloads.batch(root.path().resolve("rubric.jsonl"), requests, Fleets.INSTANT_MODEL, RUBRIC);
                long start = System.nanoTime();
                service.drop(file, "rubric.jsonl");
                service.awaitSettled("rubric.jsonl", Duration.ofHours(1));
                double seconds = (System.nanoTime() - start) / 1e9;
                long prompt = 0;
                long cached = 0;
                for (SimulatedModelServer server : List.of(one, two)) {
                    for (CallRecord call : server.calls()) {
                        prompt += call.promptTokens();
                        cached += call.cachedTokens();
                    }
                }
                JsonNode endpoints = service.status().path("endpoints");
                long counted = endpoints.path("one").path("cachedTokens").asLong() + endpoints.path("two").path("cachedTokens").asLong();
                System.out.println();
                System.out.printf("Shared prefix: %,d requests starting with the same 2,000-token rubric, 2 simulated llama.cpp"
                        + " servers of 4 slots%n", requests);
                System.out.printf("  prompt tokens     %,d, of which the servers reported %,d cached: %.1f%%%n", prompt, cached,
                        prompt == 0 ? 0 : 100.0 * cached / prompt);
                System.out.printf("  counted by the service (/status, cached tokens per endpoint)   %,d%n", counted);
                System.out.printf("  elapsed           %.1f s%n", seconds);
            }
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
