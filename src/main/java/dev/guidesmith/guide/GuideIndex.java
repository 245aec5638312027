package dev.guidesmith.guide;

import com.samskivert.mustache.Template;
import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobCounts;
import dev.guidesmith.jobs.JobListener;
import dev.guidesmith.support.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <output>/index.md}: every guide linked, grouped by difficulty and by topic, with counts;
 * the home page of a MkDocs or Hugo site made of the output folder.
 *
 * <p>Scales to a 100,000-guide run: the index keeps a catalog in memory (each guide's front matter,
 * read once: from the whole folder at the first write, then from each guide as the render step
 * writes it), and rewrites the file only when something changed: at most every
 * {@code pipeline.index.interval} (less often when the index is so large that writing it would
 * take more than a tenth of the time), at the first tick after a job finished, and when the
 * service stops. Written atomically: a site generator
 * watching the folder never reads half an index.
 */
public final class GuideIndex implements JobListener {

    private static final Logger LOG = LoggerFactory.getLogger(GuideIndex.class);
    private static final Pattern GUIDE = Pattern.compile("question_.+\\.md");
    private static final List<String> DIFFICULTIES = List.of("Easy", "Medium", "Hard");
    private static final String UNRATED = "Unrated";
    private static final Pattern MARKDOWN_SPECIAL = Pattern.compile("([\\\\`*_\\[\\]<>|])");

    private final Path output;
    private final Path indexFile;
    private final Template template;
    private final ConcurrentMap<String, Entry> guides = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();
    private long writtenAt = 0; // guarded by this: the value of changes the file shows
    private boolean scanned;    // guarded by this
    private long lastWriteEnded = System.nanoTime(); // guarded by this
    private long lastWriteTook;                      // guarded by this
    private volatile boolean writeSoon;

    /**
     * One guide as the index lists it, with its display text escaped once when it is read (the
     * template sees {@code label}, {@code file}, {@code shownDifficulty}, {@code topicList}, and for a
     * guide that failed its checks {@code failedChecks}).
     */
    public record Entry(String file, String id, String difficulty, List<String> topics, String label,
                        String shownDifficulty, String topicList, String failedChecks) {

        static Entry of(String file, String id, String title, String difficulty, List<String> topics, String failedChecks) {
            return new Entry(file, id, difficulty, topics, escape(id + ". " + title), difficulty.equals(UNRATED) ? "" : escape(difficulty),
                    escape(String.join(", ", topics)), failedChecks == null ? null : escape(failedChecks));
        }

        /** The guide was written failing its checks (front matter {@code checks: failed}). */
        public boolean needsReview() {
            return failedChecks != null;
        }
    }

    /** A heading of the index and its guides. */
    public record Group(String name, String count, List<Entry> guides) {
    }

    public GuideIndex(Path output, String indexFileName, Template template) {
        this.output = output;
        this.indexFile = output.resolve(indexFileName);
        this.template = template;
    }

    /** The render step wrote (or rewrote) a guide: it goes into the catalog, and into the file at the next write. */
    public void guideWritten(Path guide) {
        Entry entry = read(guide);
        if (entry != null) {
            guides.put(entry.file(), entry);
            changes.incrementAndGet();
        }
    }

    /**
     * A job is over: the next timer tick writes the index whatever the last write cost. Not written
     * here: this runs on the thread that settled the job's last problem, and a 100,000-guide index
     * takes a second or two.
     */
    @Override
    public void jobFinished(Job job, JobCounts counts) {
        writeSoon = true;
    }

    /**
     * The timer's call (every {@code pipeline.index.interval}): rewrites the index if a guide
     * arrived since the last write, unless the last write was so recent that writing again would
     * spend more than a tenth of the time writing the index (a huge index slows its own rewrites).
     *
     * @return whether the file was written
     */
    public synchronized boolean writeIfDue() {
        if (!writeSoon && System.nanoTime() - lastWriteEnded < lastWriteTook * 9) {
            return false;
        }
        writeSoon = false;
        return writeIfChanged();
    }

    /**
     * Rewrites the index if a guide arrived since the last write (the first call reads the output
     * folder, so guides of earlier runs are listed too).
     *
     * @return whether the file was written
     */
    public synchronized boolean writeIfChanged() {
        if (!scanned) {
            scan();
            scanned = true;
        }
        long now = changes.get();
        if (now == writtenAt) {
            return false;
        }
        long started = System.nanoTime();
        try {
            Map<String, Object> view = view();
            AtomicFiles.write(indexFile, writer -> template.execute(view, writer));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the guide index " + indexFile.toAbsolutePath() + " ("
                    + e.getMessage() + "): check free disk space and permissions of pipeline.output", e);
        }
        writtenAt = now;
        lastWriteEnded = System.nanoTime();
        lastWriteTook = lastWriteEnded - started;
        LOG.debug("Index of {} guide(s) written to {}", guides.size(), indexFile);
        return true;
    }

    /** The service stops: the index shows every guide written, or says in the log why it cannot. */
    public void flush() {
        try {
            writeIfChanged();
        } catch (RuntimeException e) {
            LOG.warn("The guide index was not brought up to date at stop: {}", e.getMessage());
        }
    }

    public Path file() {
        return indexFile;
    }

    /** Guides listed (after the first write). */
    public int size() {
        return guides.size();
    }

    private void scan() {
        if (!Files.isDirectory(output)) {
            return;
        }
        int found = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(output, "question_*.md")) {
            for (Path file : files) {
                Entry entry = read(file);
                // a guide the render step wrote meanwhile is newer than what this scan read
                if (entry != null && guides.putIfAbsent(entry.file(), entry) == null) {
                    found++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the guides in " + output.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        if (found > 0) {
            changes.addAndGet(found);
            LOG.info("Guide index: {} guide(s) found in {}", found, output);
        }
    }

    private static Entry read(Path guide) {
        String file = guide.getFileName().toString();
        if (!GUIDE.matcher(file).matches()) {
            return null;
        }
        Map<String, Object> fields;
        try {
            fields = FrontMatterReader.read(guide);
        } catch (IOException e) {
            // gone or unreadable: the next write lists what is there
            LOG.debug("Cannot read the front matter of {}: {}", guide, e.getMessage());
            return null;
        }
        String id = text(fields.get("id"));
        if (id == null) {
            id = file.substring("question_".length(), file.length() - ".md".length());
        }
        String title = text(fields.get("title"));
        List<String> topics = new ArrayList<>();
        if (fields.get("topics") instanceof List<?> list) {
            list.stream().map(GuideIndex::text).filter(t -> t != null && !t.isBlank()).map(String::strip).forEach(topics::add);
        } else if (text(fields.get("topics")) != null) {
            topics.add(text(fields.get("topics")).strip());
        }
        String failedChecks = null;
        if ("failed".equals(text(fields.get("checks")))) {
            failedChecks = fields.get("failed_checks") instanceof List<?> list
                    ? String.join(", ", list.stream().map(GuideIndex::text).toList()) : "";
        }
        return Entry.of(file, id, title == null ? id : title, difficulty(text(fields.get("difficulty"))), List.copyOf(topics),
                failedChecks);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static String difficulty(String value) {
        if (value == null || value.isBlank()) {
            return UNRATED;
        }
        String v = value.strip();
        for (String known : DIFFICULTIES) {
            if (known.equalsIgnoreCase(v)) {
                return known;
            }
        }
        return v;
    }

    /**
     * The template's view: guides by difficulty (Easy, Medium, Hard, others, unrated) and by topic
     * (A–Z), each by id. Groups share the entries, so a 100,000-guide index costs lists of
     * references, not copies.
     */
    Map<String, Object> view() {
        List<Entry> all = new ArrayList<>(guides.values());
        all.sort(BY_ID);
        Map<String, List<Entry>> byDifficulty = new TreeMap<>(DIFFICULTY_ORDER);
        Map<String, List<Entry>> byTopic = new TreeMap<>(String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder()));
        List<Entry> untagged = new ArrayList<>();
        List<Entry> needReview = new ArrayList<>();
        for (Entry entry : all) {
            if (entry.needsReview()) {
                needReview.add(entry);
            }
            byDifficulty.computeIfAbsent(entry.difficulty(), d -> new ArrayList<>()).add(entry);
            for (String topic : entry.topics()) {
                byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(entry);
            }
            if (entry.topics().isEmpty()) {
                untagged.add(entry);
            }
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("total", count(all.size()));
        view.put("any", !all.isEmpty());
        view.put("updated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        view.put("difficulties", groups(byDifficulty));
        view.put("topics", groups(byTopic));
        view.put("topicCount", count(byTopic.size()));
        view.put("untagged", untagged.isEmpty() ? List.of() : List.of(new Group("No topic", count(untagged.size()), untagged)));
        view.put("needReview", needReview.isEmpty() ? List.of()
                : List.of(new Group("Needs review", count(needReview.size()), needReview)));
        return view;
    }

    private static List<Group> groups(Map<String, List<Entry>> byName) {
        List<Group> groups = new ArrayList<>(byName.size());
        byName.forEach((name, entries) -> groups.add(new Group(escape(name), count(entries.size()), entries)));
        return groups;
    }

    /** Titles are the input's: a bracket or an asterisk in one must not break the link around it. */
    static String escape(String text) {
        return MARKDOWN_SPECIAL.matcher(text).replaceAll("\\\\$1");
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static final Comparator<String> DIFFICULTY_ORDER = Comparator
            .comparingInt((String d) -> d.equals(UNRATED) ? Integer.MAX_VALUE
                    : DIFFICULTIES.contains(d) ? DIFFICULTIES.indexOf(d) : DIFFICULTIES.size())
            .thenComparing(Comparator.naturalOrder());

    /** Numeric ids in numeric order, then the others alphabetically. */
    private static final Comparator<Entry> BY_ID = Comparator
            .comparing((Entry e) -> numeric(e.id()), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Entry::id)
            .thenComparing(Entry::file);

    private static BigInteger numeric(String id) {
        return id.matches("-?\\d{1,40}") ? new BigInteger(id) : null;
    }
}
