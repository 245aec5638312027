package dev.guidesmith.guide;

import dev.guidesmith.jobs.ExpectedWork;
import dev.guidesmith.problems.Problem;
import java.util.List;
import java.util.Locale;

/**
 * The work a problem's guide is expected to take, in {@link ExpectedWork} units: for each stage
 * still to run, reading the statement and writing the reply. Pure arithmetic over what is known
 * before the calls: the problem's difficulty and statement length, which stages are still to run
 * (cached ones cost nothing) and the reply sizes its finished stages showed.
 */
final class GuideWork {

    /** A statement of about 1,500 characters: a typical LeetCode problem's. */
    static final double TYPICAL_STATEMENT_TOKENS = 375;
    /** Replies grow with the statement, less than in proportion, and within these bounds. */
    static final double MIN_LENGTH_FACTOR = 0.5;
    static final double MAX_LENGTH_FACTOR = 2.0;
    /** What earlier stages showed moves the estimate by at most this factor either way. */
    static final double MAX_OBSERVED_FACTOR = 4.0;

    /**
     * One stage of the guide, as far as it is known before it runs.
     *
     * @param maxTokens      the room its reply has ({@code stage.<name>.max-tokens})
     * @param toRun          it still needs a model call (not cached, not supplied by the input)
     * @param observedTokens the reply tokens its cached result took; 0 when unknown
     */
    record Stage(int maxTokens, boolean toRun, int observedTokens) {

        static Stage toRun(int maxTokens) {
            return new Stage(maxTokens, true, 0);
        }

        static Stage cached(int maxTokens, int observedTokens) {
            return new Stage(maxTokens, false, observedTokens);
        }

        /** The input supplies its result (a statement given with the problem). */
        static Stage supplied(int maxTokens) {
            return new Stage(maxTokens, false, 0);
        }
    }

    private GuideWork() {
    }

    static double expected(Problem problem, List<Stage> stages) {
        double statementTokens = problem.hasDescription()
                ? problem.description().length() / ExpectedWork.CHARS_PER_TOKEN : TYPICAL_STATEMENT_TOKENS;
        // a harder problem uses more of each reply's room: more cases to explain, more approaches
        double share = difficultyShare(problem.difficulty())
                * clamp(Math.sqrt(statementTokens / TYPICAL_STATEMENT_TOKENS), MIN_LENGTH_FACTOR, MAX_LENGTH_FACTOR);
        double observed = 0;
        double expectedOfObserved = 0;
        for (Stage stage : stages) {
            if (!stage.toRun() && stage.observedTokens() > 0) {
                observed += stage.observedTokens();
                expectedOfObserved += stage.maxTokens() * share;
            }
        }
        // replies this problem already got, longer or shorter than expected, say how the next ones will be
        double shown = expectedOfObserved > 0 ? clamp(observed / expectedOfObserved, 1 / MAX_OBSERVED_FACTOR, MAX_OBSERVED_FACTOR) : 1;
        double work = 0;
        for (Stage stage : stages) {
            if (stage.toRun()) {
                work += statementTokens * ExpectedWork.PER_PROMPT_TOKEN + stage.maxTokens() * share * shown;
            }
        }
        return work;
    }

    /** The share of a reply's room a problem of this difficulty is expected to use. */
    static double difficultyShare(String difficulty) {
        return switch (difficulty == null ? "" : difficulty.strip().toLowerCase(Locale.ROOT)) {
            case "easy" -> 0.4;
            case "hard" -> 0.8;
            default -> 0.6; // Medium, and a difficulty not given
        };
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }
}
