package dev.guidesmith.batch;

import java.io.IOException;
import java.io.Writer;
import java.util.Optional;

/**
 * Where batches' result lines are kept for good, beside the result files of the node running the
 * batch. On one node the files are the record ({@link #FILES_ONLY}). With {@code pipeline.store.url}
 * every line is kept in the shared PostgreSQL, keyed by job and request, before it is appended to
 * the file: a job resumed by another node writes its files again from there, with every answer the
 * dead node wrote, and any node can count a running batch's results.
 */
public interface ResultLog {

    /** One node: every line is new, and there is nothing besides the files to restore them from. */
    ResultLog FILES_ONLY = new ResultLog() {
        @Override
        public boolean shared() {
            return false;
        }

        @Override
        public boolean keep(ResultLine line) {
            return true;
        }

        @Override
        public void copy(String job, boolean answers, Writer to) {
            throw new UnsupportedOperationException("the result files are the only record of a batch's results");
        }

        @Override
        public Optional<ResultCounts> counts(String job) {
            return Optional.empty();
        }
    };

    /** Whether lines are kept beyond this node's result files (then {@link #copy} and {@link #counts} answer). */
    boolean shared();

    /**
     * Keeps a request's line unless a line was kept for that request before (a request settled
     * once, then run again on another node, keeps its first line).
     *
     * @return whether this line was kept, and so belongs in the result files
     */
    boolean keep(ResultLine line);

    /** Writes the job's kept answers ({@code answers}) or failures, each line with its newline, in the order they were kept. */
    void copy(String job, boolean answers, Writer to) throws IOException;

    /** What a job's requests came to so far, wherever it runs; empty when this log does not know. */
    Optional<ResultCounts> counts(String job);

    /**
     * One result line: {@code text} is the whole line of the output file ({@code answered}) or of the
     * errors file, with its newline; {@code usage} the tokens an answer used.
     */
    record ResultLine(String job, long position, String customId, boolean answered, String text, BatchUsage usage) {
    }

    /** Requests answered and failed so far, and the answers' tokens. */
    record ResultCounts(long answered, long failed, BatchUsage usage) {
    }
}
