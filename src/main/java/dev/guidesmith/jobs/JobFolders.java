package dev.guidesmith.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guidesmith.support.AtomicFiles;
import dev.guidesmith.support.Json;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable jobs: {@code <work>/jobs/<id>/} holds the accepted file's copy, {@code job.json} (its
 * kind, name and entry count) and its item ledger. A job is staged in a hidden folder and renamed
 * into place in one step, so after a crash it either exists whole or not at all (then its file is
 * still in the inbox). Finished jobs move to {@code <work>/jobs/finished/}; whatever is left at
 * start is resumed.
 */
public final class JobFolders implements JobStore {

    private static final Logger LOG = LoggerFactory.getLogger(JobFolders.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final String MANIFEST = "job.json";

    /** Jobs written before job kinds existed are problem lists. */
    private static final String FIRST_KIND = "guides";

    /** The position of the job's last item sent to a broker (one number: items are sent in file order). */
    private static final String SENT_MARK = "sent.position";
    private final Path root;
    private final Path finished;
    private final JobKinds kinds;
    /** Accepts under way: their staging folders are not leftovers (the inbox and resuming may run at once). */
    private final Set<Path> accepting = ConcurrentHashMap.newKeySet();

    public JobFolders(Path root, JobKinds kinds) {
        this.root = root;
        this.finished = root.resolve("finished");
        this.kinds = kinds;
    }

    /**
     * Takes a file from the inbox: finds the kind of job it is, copies it into the job store and
     * counts its entries.
     *
     * @throws RejectedFileException when the file is not a usable input of any kind
     */
    @Override
    public Job accept(String path, String name) {
        Path incoming = Path.of(path);
        JobKind kind = kinds.forFile(incoming, name);
        String id = ID_TIME.format(Instant.now()) + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000));
        Path staging = root.resolve(".staging-" + id);
        accepting.add(staging);
        try {
            Files.createDirectories(staging);
            Path copy = staging.resolve(kind.copyName(name));
            kind.keep(incoming, copy);
            long entries = kind.count(copy, name);
            if (entries == 0) {
                throw new RejectedFileException(name + " holds nothing to do (an empty list)", null);
            }
            String acceptedAt = Instant.now().toString();
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("id", id);
            manifest.put("kind", kind.name());
            manifest.put("name", name);
            manifest.put("file", copy.getFileName().toString());
            manifest.put("entries", entries);
            manifest.put("acceptedAt", acceptedAt);
            AtomicFiles.writeString(staging.resolve(MANIFEST), Json.pretty(manifest));
            Path jobDir = root.resolve(id);
            Files.move(staging, jobDir, StandardCopyOption.ATOMIC_MOVE);
            return new Job(id, kind.name(), name, jobDir.resolve(copy.getFileName()), entries, acceptedAt);
        } catch (IOException e) {
            deleteQuietly(staging);
            throw new UncheckedIOException("Cannot store " + name + " in " + root.toAbsolutePath() + " (" + e.getMessage()
                    + "): check free disk space and permissions of pipeline.work", e);
        } catch (RuntimeException e) {
            deleteQuietly(staging);
            throw e;
        } finally {
            accepting.remove(staging);
        }
    }

    /** Jobs accepted earlier and not finished, oldest first; leftovers of interrupted accepts are removed. */
    @Override
    public List<Job> unfinished() {
        List<Job> jobs = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return jobs;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.startsWith(".staging-") && !accepting.contains(dir)) {
                    deleteQuietly(dir);
                } else if (Files.isDirectory(dir) && !dir.equals(finished) && Files.exists(dir.resolve(MANIFEST))) {
                    Job job = read(dir);
                    if (job.id().equals(name)) {
                        jobs.add(job);
                    } else {
                        // not a record this service wrote: taking it up would file the job under another name
                        LOG.warn("Leaving {} alone: its {} names job '{}', not its folder's name. Restore the record, or"
                                + " remove the folder if the job is not wanted", dir.toAbsolutePath(), MANIFEST, job.id());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list jobs in " + root.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        jobs.sort(Comparator.comparing(Job::id));
        return jobs;
    }

    /**
     * Puts a job kept elsewhere (another node accepted it) into this node's folders, as it was
     * accepted, unless it is here already; staged and renamed into place like an accepted one.
     */
    public Job restore(Job job, byte[] content) {
        Path jobDir = root.resolve(job.id());
        Path staging = root.resolve(".staging-" + job.id());
        try {
            if (Files.exists(jobDir.resolve(MANIFEST))) {
                return read(jobDir);
            }
            Files.createDirectories(staging);
            Files.write(staging.resolve(job.file().getFileName()), content);
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("id", job.id());
            manifest.put("kind", job.kind());
            manifest.put("name", job.name());
            manifest.put("file", job.file().getFileName().toString());
            manifest.put("entries", job.entries());
            manifest.put("acceptedAt", job.acceptedAt());
            AtomicFiles.writeString(staging.resolve(MANIFEST), Json.pretty(manifest));
            Files.move(staging, jobDir, StandardCopyOption.ATOMIC_MOVE);
            return read(jobDir);
        } catch (IOException e) {
            deleteQuietly(staging);
            throw new UncheckedIOException("Cannot restore " + job + " in " + root.toAbsolutePath() + " (" + e.getMessage()
                    + "): check free disk space and permissions of pipeline.work", e);
        }
    }

    @Override
    public boolean isUnfinished(String id) {
        // the id comes from a message: used as a folder name only when it is a plain name
        return id != null && id.matches("[A-Za-z0-9][A-Za-z0-9._-]*") && Files.exists(root.resolve(id).resolve(MANIFEST));
    }

    /** Removes a job that could not be accepted after all (its copy could not be kept elsewhere too). */
    public void discard(Job job) {
        deleteQuietly(job.folder());
    }

    private static Job read(Path dir) throws IOException {
        JsonNode manifest = Json.MAPPER.readTree(dir.resolve(MANIFEST).toFile());
        String copy = manifest.path("file").asText(Files.exists(dir.resolve("problems.jsonl")) ? "problems.jsonl" : "problems.json");
        return new Job(manifest.path("id").asText(), manifest.path("kind").asText(FIRST_KIND), manifest.path("name").asText(),
                dir.resolve(copy), manifest.path("entries").asLong(), manifest.path("acceptedAt").asText());
    }

    /** Every item of the job is settled: move it out of the way of the next start. */
    @Override
    public Path finish(Job job, JobCounts counts) {
        Path from = job.folder();
        Path to = finished.resolve(job.id());
        try {
            // the record of a finished job keeps what it came to
            ObjectNode manifest = (ObjectNode) Json.MAPPER.readTree(from.resolve(MANIFEST).toFile());
            manifest.put("finishedAt", Instant.now().toString());
            manifest.putPOJO("counts", counts);
            AtomicFiles.writeString(from.resolve(MANIFEST), Json.pretty(manifest));
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

    @Override
    public void markSent(Job job, long position) {
        try {
            AtomicFiles.writeString(job.folder().resolve(SENT_MARK), Long.toString(position));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record the items of " + job + " sent to the broker in "
                    + job.folder() + " (" + e.getMessage() + "): check free disk space and permissions of pipeline.work", e);
        }
    }

    @Override
    public long lastSent(Job job) {
        Path mark = job.folder().resolve(SENT_MARK);
        if (!Files.exists(mark)) {
            return -1;
        }
        try {
            return Long.parseLong(Files.readString(mark).trim());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("Cannot read " + mark + " (" + e.getMessage() + "): delete it to send the"
                    + " job's unsettled items again (those still on the broker will then run twice)", e);
        }
    }
}
