package dev.guidesmith.guide;

import dev.guidesmith.jobs.ConflictingProblemException;
import dev.guidesmith.jobs.DoneRegistry;
import dev.guidesmith.jobs.ItemFailure;
import dev.guidesmith.jobs.ItemRef;
import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobEntry;
import dev.guidesmith.jobs.JobKind;
import dev.guidesmith.jobs.RejectedFileException;
import dev.guidesmith.problems.EntrySelection;
import dev.guidesmith.problems.NotAProblemListException;
import dev.guidesmith.problems.ProblemEntry;
import dev.guidesmith.problems.ProblemFileReader;
import dev.guidesmith.problems.ProblemValidator;
import dev.guidesmith.stages.Fingerprinter;
import dev.guidesmith.stages.StageCache;
import dev.guidesmith.stages.StageCatalog;
import dev.guidesmith.stages.WorkItem;
import dev.guidesmith.support.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guide jobs: a problems file becomes one study guide per problem. Its entries are problems, planned
 * with their stage fingerprints into {@link WorkItem}s that the stage routes carry to the render
 * route; its failures are records in the failed folder.
 *
 * <p>With {@code pipeline.input.skip-paid-only} the paid-only entries are left out of a job when it
 * is accepted: not counted, not read later. That choice is kept in the job's folder, so a restart
 * with the setting changed reads the job as it was counted (else it would never end, or end early).
 */
public final class GuideJobKind implements JobKind {

    public static final String NAME = "guides";

    private static final Logger LOG = LoggerFactory.getLogger(GuideJobKind.class);
    /** In a job's folder: its paid-only entries were left out when it was accepted. */
    static final String SKIPS_PAID_ONLY = "skips-paid-only";

    private final ProblemValidator validator;
    private final Fingerprinter fingerprinter;
    private final FailureRecorder failures;
    private final DoneRegistry done;
    private final EntrySelection selection;
    private final StageOutlook outlook;

    /**
     * @param selection the entries new jobs take (earlier jobs keep what they took when accepted)
     * @param catalog   the stages, and {@code cache} their cached results: what a problem's work is estimated from
     */
    public GuideJobKind(ProblemValidator validator, Fingerprinter fingerprinter, FailureRecorder failures, DoneRegistry done,
            EntrySelection selection, StageCatalog catalog, StageCache cache) {
        this.outlook = new StageOutlook(catalog, cache);
        this.validator = validator;
        this.fingerprinter = fingerprinter;
        this.failures = failures;
        this.done = done;
        this.selection = selection;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String takesWhat() {
        return "a problems list (.json holding an array of problems, an object with a \"problems\" array, or LeetCode's"
                + " GraphQL problemsetQuestionList or /api/problems/all/ stat_status_pairs; or .jsonl with one problem per line)";
    }

    @Override
    public boolean takes(Path file, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".json") || lower.endsWith(".jsonl");
    }

    @Override
    public String copyName(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".jsonl") ? "problems.jsonl" : "problems.json";
    }

    @Override
    public long count(Path copy, String name) {
        long taken = 0;
        long leftOut = 0;
        try (ProblemFileReader reader = ProblemFileReader.open(copy, name)) {
            while (reader.hasNext()) {
                if (selection.takes(reader.next())) {
                    taken++;
                } else {
                    leftOut++;
                }
            }
        } catch (NotAProblemListException | UncheckedIOException e) {
            throw new RejectedFileException(e.getMessage(), e);
        } catch (IOException e) {
            throw new RejectedFileException(name + " cannot be read: " + e.getMessage(), e);
        }
        if (taken == 0 && leftOut > 0) {
            throw new RejectedFileException(name + " holds only paid-only problems (" + leftOut + "), and"
                    + " pipeline.input.skip-paid-only=true leaves them out: set it to false to make their guides", null);
        }
        if (taken == 0) {
            throw new RejectedFileException(name + " holds no problems (an empty list)", null);
        }
        if (leftOut > 0) {
            keepLeftOut(copy, name);
            LOG.info("{}: {} paid-only problem(s) left out of {} (pipeline.input.skip-paid-only=true); the job takes the"
                    + " other {}", name, leftOut, taken + leftOut, taken);
        }
        return taken;
    }

    /** Beside the job's copy, which moves with it into the job's folder. */
    private static void keepLeftOut(Path copy, String name) {
        try {
            AtomicFiles.writeString(copy.resolveSibling(SKIPS_PAID_ONLY),
                    "The paid-only problems of this job's file were left out when it was accepted"
                            + " (pipeline.input.skip-paid-only=true); after a restart they stay left out, whatever the"
                            + " setting says then.\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot note in the job of " + name + " that it leaves out paid-only problems: "
                    + e.getMessage() + "; check free disk space and permissions of pipeline.work", e);
        }
    }

    /** What a job took when it was accepted, whatever the setting says now. */
    private static EntrySelection selectionOf(Job job) {
        return Files.exists(job.folder().resolve(SKIPS_PAID_ONLY)) ? EntrySelection.FREE_ONLY : EntrySelection.ALL;
    }

    @Override
    public Entries entries(Job job, BooleanSupplier stopped) throws IOException {
        EntrySelection taken = selectionOf(job);
        ProblemFileReader reader = ProblemFileReader.open(job.file(), job.name(), stopped);
        return new Entries() {
            private ProblemEntry next;

            @Override
            public boolean hasNext() {
                while (next == null && reader.hasNext()) {
                    ProblemEntry entry = reader.next();
                    if (taken.takes(entry)) {
                        next = entry;
                    }
                }
                return next != null;
            }

            @Override
            public JobEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ProblemEntry entry = next;
                next = null;
                // its position in the file, left-out entries included: stable across reads
                return new JobEntry(job.id(), entry.position(), entry);
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }

    @Override
    public WorkItem plan(Job job, JobEntry entry) {
        return fingerprinter.plan(job.id(), entry.position(), validator.validate((ProblemEntry) entry.content()));
    }

    /** See {@link GuideWork}: difficulty, statement, stages still to run, and the replies cached stages got. */
    @Override
    public double expectedWork(Job job, ItemRef item) {
        return item instanceof WorkItem work ? GuideWork.expected(work.problem(), outlook.of(work)) : 0;
    }

    @Override
    public ItemFailure recordFailure(ItemRef item, Throwable error, ItemFailure failure) {
        if (item instanceof WorkItem work && error instanceof ConflictingProblemException) {
            return failures.conflictingDuplicate(work.problem(), failure); // the claim is the other version's
        }
        if (item instanceof WorkItem work) {
            done.release(work.doneKey()); // a later drop of the problem may try again
            return failures.problemFailed(work.problem(), failure);
        }
        if (item instanceof JobEntry entry && entry.content() instanceof ProblemEntry problemEntry) {
            return failures.entryRejected(problemEntry, error, failure);
        }
        throw new IllegalArgumentException("A guide job's failed item is " + item + ", neither a problem nor an input entry");
    }
}
