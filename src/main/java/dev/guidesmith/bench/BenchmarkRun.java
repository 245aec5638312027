package dev.guidesmith.bench;

import dev.guidesmith.Application;
import dev.guidesmith.SettingsFiles;
import dev.guidesmith.status.Progress;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.main.Main;

/**
 * One benchmark run of the real service in this JVM: temporary folders, a generated problems file,
 * the given fleet settings; waits until every problem is settled and reports what it took.
 */
final class BenchmarkRun implements AutoCloseable {

    private final Path root;
    private final Main main;

    private BenchmarkRun(Path root, Main main) {
        this.root = root;
        this.main = main;
    }

    static BenchmarkRun start(Map<String, String> fleet) throws Exception {
        return start(Files.createTempDirectory("guidesmith-bench-"), fleet);
    }

    /** Folders under {@code root}: inbox, output, work (an existing run's are taken up again). */
    static Map<String, String> folders(Path root) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("pipeline.inbox", root.resolve("inbox").toString());
        settings.put("pipeline.output", root.resolve("output").toString());
        settings.put("pipeline.work", root.resolve("work").toString());
        settings.put("pipeline.inbox.poll-ms", "100");
        settings.put("pipeline.inbox.settle-ms", "200");
        settings.put("pipeline.progress.interval", "10s");
        settings.put("pipeline.http.port", "0"); // no status page: a benchmark must not collide with a running service
        return settings;
    }

    static BenchmarkRun start(Path root, Map<String, String> fleet) throws Exception {
        Map<String, String> settings = folders(root);
        settings.putAll(fleet);
        Main main = new Main(Application.class);
        main.setPropertyPlaceholderLocations(SettingsFiles.placeholderLocations());
        settings.forEach(main::addOverrideProperty);
        main.start();
        return new BenchmarkRun(root, main);
    }

    Path root() {
        return root;
    }

    /** Writes {@code count} problems without descriptions (so every stage calls the model) as JSONL. */
    Path writeProblems(int count) throws IOException {
        return writeProblems(root, count);
    }

    static Path writeProblems(Path root, int count) throws IOException {
        Path file = root.resolve("problems.jsonl");
        String[] levels = {"Easy", "Medium", "Hard"};
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 1; i <= count; i++) {
                out.write("{\"id\":" + i + ",\"title\":\"Benchmark problem " + i + "\",\"difficulty\":\""
                        + levels[i % 3] + "\",\"topics\":[\"Array\",\"Hash Table\"]}\n");
            }
        }
        return file;
    }

    /** Drops the file into the inbox and waits until all its problems are settled. */
    Result process(Path problems, int count, HeapWatch heap) throws Exception {
        Path inbox = root.resolve("inbox");
        Files.createDirectories(inbox);
        long start = System.nanoTime();
        Files.move(problems, inbox.resolve(problems.getFileName()));
        Progress progress = main.getCamelContext().getRegistry().lookupByNameAndType("progress", Progress.class);
        while (true) {
            Progress.Snapshot now = progress.snapshot();
            heap.sample();
            if (now.total() == count && now.done() + now.failed() == count) {
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Result(count, now.failed(), seconds);
            }
            Thread.sleep(20);
        }
    }

    Main main() {
        return main;
    }

    @Override
    public void close() throws IOException {
        main.stop();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    record Result(int problems, long failed, double seconds) {
    }

    /**
     * Heap use: the peak the JVM saw (its per-pool high-water marks, garbage included), and the
     * highest heap left after a collection (what the run really keeps alive).
     */
    static final class HeapWatch {
        private long peakAfterCollection;

        HeapWatch() {
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        }

        void sample() {
            long afterCollection = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                    afterCollection += pool.getCollectionUsage().getUsed();
                }
            }
            peakAfterCollection = Math.max(peakAfterCollection, afterCollection);
        }

        long peakBytes() {
            long sum = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    sum += pool.getPeakUsage().getUsed();
                }
            }
            return sum;
        }

        long peakAfterCollectionBytes() {
            return peakAfterCollection;
        }

        long maxBytes() {
            return Runtime.getRuntime().maxMemory();
        }
    }
}
