package dev.guidesmith.checks;

import dev.guidesmith.stages.CheckOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the checks did, per check: guides that passed it at once, passed it after a repair, and
 * still failed it; the guides written needing review, and for each job of this run which ones (for
 * its report). The per-job lists are bounded: a job keeps the first {@link #LISTED} and counts the
 * rest.
 */
public final class CheckStats {

    /** Guides needing review a run report lists by name (the index lists them all). */
    public static final int LISTED = 1000;

    /** A guide written while failing its checks. */
    public record Review(String id, String title, String file, List<String> checks) {
    }

    /** The guides of one job that need review: the first {@link #LISTED}, and how many in all. */
    public record Reviews(List<Review> listed, long total) {
        public static final Reviews NONE = new Reviews(List.of(), 0);
    }

    private final List<CheckCatalog.Availability> availability;
    private final Map<String, Counters> checks = new LinkedHashMap<>();
    private final AtomicLong needReview = new AtomicLong();
    private final Map<String, JobReviews> byJob = new ConcurrentHashMap<>();

    public CheckStats(List<CheckCatalog.Availability> availability) {
        this.availability = List.copyOf(availability);
        availability.forEach(a -> checks.put(a.check(), new Counters()));
    }

    void settled(CheckOutcome outcome) {
        outcome.passed().forEach(check -> of(check).passed.incrementAndGet());
        outcome.repaired().forEach(check -> of(check).repaired.incrementAndGet());
        outcome.failed().forEach(failed -> of(failed.check()).failed.incrementAndGet());
    }

    void needsReview(String job, Review review) {
        needReview.incrementAndGet();
        byJob.computeIfAbsent(job, j -> new JobReviews()).add(review);
    }

    /** The guides of a job that need review, which are forgotten here: the job is over. */
    public Reviews takeReviews(String job) {
        JobReviews reviews = byJob.remove(job);
        return reviews == null ? Reviews.NONE : reviews.snapshot();
    }

    /** Every check of {@code guide.checks}, in order, whether it runs here and why not. */
    public List<CheckCatalog.Availability> availability() {
        return availability;
    }

    /** The live counters of a check (all zero for a check not in {@code guide.checks}). */
    public Counters of(String check) {
        Counters counters = checks.get(check);
        return counters != null ? counters : new Counters();
    }

    /** Guides written since the start that failed their checks after the repairs. */
    public long needReview() {
        return needReview.get();
    }

    /** Live counters of one check, in guides. */
    public static final class Counters {
        final AtomicLong passed = new AtomicLong();
        final AtomicLong repaired = new AtomicLong();
        final AtomicLong failed = new AtomicLong();

        /** Guides that passed at once. */
        public long passed() {
            return passed.get();
        }

        /** Guides that failed at first and passed after their stage was asked again. */
        public long repaired() {
            return repaired.get();
        }

        /** Guides written still failing it. */
        public long failed() {
            return failed.get();
        }
    }

    private static final class JobReviews {
        private final List<Review> listed = new ArrayList<>();
        private long total;

        synchronized void add(Review review) {
            total++;
            if (listed.size() < LISTED) {
                listed.add(review);
            }
        }

        synchronized Reviews snapshot() {
            return new Reviews(List.copyOf(listed), total);
        }
    }
}
