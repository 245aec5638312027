package dev.guidesmith.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.testkit.Fleets;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.PostgresServer;
import dev.guidesmith.testkit.ScratchFolder;
import dev.guidesmith.testkit.Workloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What keeping the state in PostgreSQL costs: the same file through the whole pipeline against an
 * instant simulated server, once with the state in local files and once in a local PostgreSQL
 * (started from the machine's installation like the tests', but with fsync on, as a real server),
 * then dropped again (every problem skipped as done).
 *
 * <pre>
 * java -cp target/guidesmith.jar dev.guidesmith.bench.SharedStoreBenchmark [problems] [slots] [batch-requests]
 * </pre>
 * Prints problems/s for each store, first run and re-drop, and the time PostgreSQL adds per
 * problem; then requests/s of a batch file with each store (in PostgreSQL every result line is
 * kept in the database before it is appended to the output file) and the time that adds per
 * request. Defaults: 2,000 problems, 8 slots, 5,000 batch requests. Only the sections check runs,
 * so the figures are the service's own (a compiler per guide would hide them).
 */
public final class SharedStoreBenchmark {

    private SharedStoreBenchmark() {
    }

    private record Run(double firstSeconds, double againSeconds, long settled) {
    }

    public static void main(String[] args) throws Exception {
        int problems = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int slots = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int batchRequests = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        if (!PostgresServer.available()) {
            System.out.println("Skipped: " + PostgresServer.whyUnavailable());
            return;
        }
        Map<String, String> fleet = Fleets.instantSim(slots);
        fleet.put("pipeline.progress.interval", "10s");
        fleet.put("guide.checks", "sections");
        Run files = run(problems, fleet);
        double batchInFiles = runBatch(batchRequests, fleet);
        Run postgres;
        double batchInPostgres;
        try (PostgresServer server = PostgresServer.start(true)) { // fsync on, as a real server
            Map<String, String> shared = new HashMap<>(fleet);
            shared.put("pipeline.store.url", server.newDatabase());
            shared.put("pipeline.store.user", PostgresServer.USER);
            postgres = run(problems, shared);
            shared.put("pipeline.store.url", server.newDatabase());
            batchInPostgres = runBatch(batchRequests, shared);
        }
        System.out.println();
        System.out.println("Shared store benchmark: " + problems + " problems, instant simulated server, " + slots + " slots");
        print("local files", problems, files);
        print("PostgreSQL", problems, postgres);
        System.out.printf("  PostgreSQL adds   %.2f ms per problem (first run), %.2f ms per problem (re-drop)%n",
                (postgres.firstSeconds() - files.firstSeconds()) * 1000 / problems,
                (postgres.againSeconds() - files.againSeconds()) * 1000 / problems);
        System.out.println("Batch: " + batchRequests + " requests");
        System.out.printf("  local files       %.1f requests/s (%.1f s)%n", batchRequests / batchInFiles, batchInFiles);
        System.out.printf("  PostgreSQL        %.1f requests/s (%.1f s)%n", batchRequests / batchInPostgres, batchInPostgres);
        System.out.printf("  PostgreSQL adds   %.2f ms per request%n", (batchInPostgres - batchInFiles) * 1000 / batchRequests);
    }

    /** Seconds a batch file takes from its drop to its last request settled. */
    private static double runBatch(int requests, Map<String, String> settings) throws Exception {
        try (ScratchFolder root = new ScratchFolder("guidesmith-store-bench-batch-");
             InJvmService service = InJvmService.start(root.path(), settings)) {
            Path file = Workloads.batch(root.path().resolve("scores.jsonl"), requests, Fleets.INSTANT_MODEL, "");
            long start = System.nanoTime();
            service.drop(file, "scores.jsonl");
            service.awaitSettled("scores.jsonl", Duration.ofHours(1));
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static void print(String store, int problems, Run run) {
        System.out.printf("  %-12s      first run %.1f problems/s (%.1f s), re-drop %.1f problems/s (%.1f s), %d settled%n",
                store, problems / run.firstSeconds(), run.firstSeconds(), problems / run.againSeconds(), run.againSeconds(),
                run.settled());
    }

    private static Run run(int problems, Map<String, String> settings) throws Exception {
        try (ScratchFolder root = new ScratchFolder("guidesmith-store-bench-");
             InJvmService service = InJvmService.start(root.path(), settings)) {
            Path file = Workloads.problems(root.path().resolve("problems.jsonl"), 1, problems);
            long start = System.nanoTime();
            service.drop(file, "first.jsonl");
            service.awaitSettled("first.jsonl", Duration.ofHours(1));
            double first = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            service.drop(file, "again.jsonl");
            service.awaitSettled("again.jsonl", Duration.ofHours(1));
            double again = (System.nanoTime() - start) / 1e9;
            JsonNode status = service.status();
            return new Run(first, again, status.path("settled").asLong());
        }
    }
}
