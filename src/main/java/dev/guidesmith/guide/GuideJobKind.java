package dev.guidesmith.guide;

import dev.guidesmith.jobs.ConflictingProblemException;
import dev.guidesmith.jobs.DoneRegistry;
import dev.guidesmith.jobs.ItemFailure;
import dev.guidesmith.jobs.ItemRef;
import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobEntry;
import dev.guidesmith.jobs.JobKind;
import dev.guidesmith.jobs.RejectedFileException;
import dev.guidesmith.problems.NotAProblemListException;
import dev.guidesmith.problems.ProblemEntry;
import dev.guidesmith.problems.ProblemFileReader;
import dev.guidesmith.problems.ProblemValidator;
import dev.guidesmith.stages.Fingerprinter;
import dev.guidesmith.stages.WorkItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Guide jobs: a problems file becomes one study guide per problem. Its entries are problems, planned
 * with their stage fingerprints into {@link WorkItem}s that the stage routes carry to the render
 * route; its failures are records in the failed folder.
 */
public final class GuideJobKind implements JobKind {

    public static final String NAME = "guides";

    private final ProblemValidator validator;
    private final Fingerprinter fingerprinter;
    private final FailureRecorder failures;
    private final DoneRegistry done;

    public GuideJobKind(ProblemValidator validator, Fingerprinter fingerprinter, FailureRecorder failures, DoneRegistry done) {
        this.validator = validator;
        this.fingerprinter = fingerprinter;
        this.failures = failures;
        this.done = done;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String takesWhat() {
        return "a problems list (.json holding an array of problems or an object with a \"problems\" array, or .jsonl"
                + " with one problem per line)";
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
        long entries = 0;
        try (ProblemFileReader reader = ProblemFileReader.open(copy, name)) {
            while (reader.hasNext()) {
                reader.next();
                entries++;
            }
        } catch (NotAProblemListException | UncheckedIOException e) {
            throw new RejectedFileException(e.getMessage(), e);
        } catch (IOException e) {
            throw new RejectedFileException(name + " cannot be read: " + e.getMessage(), e);
        }
        if (entries == 0) {
            throw new RejectedFileException(name + " holds no problems (an empty list)", null);
        }
        return entries;
    }

    @Override
    public Entries entries(Job job, BooleanSupplier stopped) throws IOException {
        ProblemFileReader reader = ProblemFileReader.open(job.file(), job.name(), stopped);
        return new Entries() {
            @Override
            public boolean hasNext() {
                return reader.hasNext();
            }

            @Override
            public JobEntry next() {
                ProblemEntry entry = reader.next();
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
