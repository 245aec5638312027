package dev.guidesmith.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.problems.NotAProblemListException;
import dev.guidesmith.problems.ProblemFileReader;
import dev.guidesmith.support.AtomicFiles;
import dev.guidesmith.support.Json;
import dev.guidesmith.support.StopSignal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable jobs: {@code <work>/jobs/<id>/} holds the accepted file's copy and {@code job.json}. A
 * job is staged in a hidden folder and renamed into place in one step, so after a crash it either
 * exists whole or not at all (then its file is still in the inbox). Finished jobs move to
 * {@code <work>/jobs/finished/}; whatever is left at start is resumed.
 */
public final class JobStore {

    private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final String MANIFEST = "job.json";

    private final Path root;
    private final Path finished;
    private final StopSignal stop;

    public JobStore(Path root, StopSignal stop) {
        this.root = root;
        this.finished = root.resolve("finished");
        this.stop = stop;
    }

    /**
     * Takes a file from the inbox: copies it into the job store and counts its entries.
     *
     * @throws RejectedFileException when the file is not a usable problem list
     */
    public Job accept(String path, String name) {
        Path incoming = Path.of(path);
        String id = ID_TIME.format(Instant.now()) + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000));
        Path staging = root.resolve(".staging-" + id);
        try {
            Files.createDirectories(staging);
            Path copy = staging.resolve(ProblemFileReader.isJsonLines(incoming) ? "problems.jsonl" : "problems.json");
            Files.copy(incoming, copy, StandardCopyOption.REPLACE_EXISTING);
            long entries = count(copy, name);
            String acceptedAt = Instant.now().toString();
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("id", id);
            manifest.put("name", name);
            manifest.put("entries", entries);
            manifest.put("acceptedAt", acceptedAt);
            AtomicFiles.writeString(staging.resolve(MANIFEST), Json.pretty(manifest));
            Path jobDir = root.resolve(id);
            Files.move(staging, jobDir, StandardCopyOption.ATOMIC_MOVE);
            return new Job(id, name, jobDir.resolve(copy.getFileName()), entries, acceptedAt);
        } catch (IOException e) {
            deleteQuietly(staging);
            throw new UncheckedIOException("Cannot store " + name + " in " + root.toAbsolutePath() + " (" + e.getMessage()
                    + "): check free disk space and permissions of pipeline.work", e);
        } catch (RuntimeException e) {
            deleteQuietly(staging);
            throw e;
        }
    }

    /** Reads the whole file once, streaming: counts entries and proves it parses. */
    private static long count(Path file, String name) {
        long entries = 0;
        try (ProblemFileReader reader = ProblemFileReader.open(file, name, () -> false)) {
            while (reader.hasNext()) {
                reader.next();
                entries++;
            }
        } catch (NotAProblemListException e) {
            throw new RejectedFileException(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new RejectedFileException(e.getMessage(), e);
        } catch (IOException e) {
            throw new RejectedFileException(name + " cannot be read: " + e.getMessage(), e);
        }
        if (entries == 0) {
            throw new RejectedFileException(name + " holds no problems (an empty list)", null);
        }
        return entries;
    }

    /**
     * The job's problems, streamed from its own copy, ending early when the service stops (the rest
     * is resumed at the next start). The caller (Camel's splitter) closes the reader.
     */
    public ProblemFileReader entries(Job job) throws IOException {
        return ProblemFileReader.open(job.file(), job.name(), stop::isRaised);
    }

    /** Jobs accepted earlier and not finished, oldest first; leftovers of interrupted accepts are removed. */
    public List<Job> unfinished() {
        List<Job> jobs = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return jobs;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.startsWith(".staging-")) {
                    deleteQuietly(dir);
                } else if (Files.isDirectory(dir) && !dir.equals(finished) && Files.exists(dir.resolve(MANIFEST))) {
                    jobs.add(read(dir));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list jobs in " + root.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        jobs.sort(Comparator.comparing(Job::id));
        return jobs;
    }

    private static Job read(Path dir) throws IOException {
        JsonNode manifest = Json.MAPPER.readTree(dir.resolve(MANIFEST).toFile());
        Path file = Files.exists(dir.resolve("problems.jsonl")) ? dir.resolve("problems.jsonl") : dir.resolve("problems.json");
        return new Job(manifest.path("id").asText(), manifest.path("name").asText(), file,
                manifest.path("entries").asLong(), manifest.path("acceptedAt").asText());
    }

    /** Every problem of the job is settled: move it out of the way of the next start. */
    public Path finish(Job job) {
        Path from = job.file().getParent();
        Path to = finished.resolve(job.id());
        try {
            Files.createDirectories(finished);
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            return to;
        } catch (IOException e) {
            LOG.warn("{} finished but could not be moved to {} ({}); it will be resumed (and skipped through) at next start",
                    job, finished, e.getMessage());
            return from;
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // best effort: a leftover staging folder is removed at the next start
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
