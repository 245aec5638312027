package dev.guidesmith.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.problems.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A guide's expected work: harder, longer, less cached, and longer replies so far all weigh more. */
class GuideWorkTest {

    private static final List<GuideWork.Stage> THREE_TO_RUN = List.of(GuideWork.Stage.supplied(700),
            GuideWork.Stage.toRun(700), GuideWork.Stage.toRun(1200), GuideWork.Stage.toRun(1600));

    private static Problem problem(String difficulty, int statementChars) {
        return new Problem("1", true, "Two Sum", "two-sum", difficulty, List.of(), List.of(),
                statementChars == 0 ? null : "x".repeat(statementChars));
    }

    @Test
    void hardOutweighsMediumOutweighsEasyAtTheSameLength() {
        double easy = GuideWork.expected(problem("Easy", 1500), THREE_TO_RUN);
        double medium = GuideWork.expected(problem("Medium", 1500), THREE_TO_RUN);
        double hard = GuideWork.expected(problem("Hard", 1500), THREE_TO_RUN);
        assertThat(hard).isGreaterThan(medium);
        assertThat(medium).isGreaterThan(easy);
        assertThat(GuideWork.expected(problem(null, 1500), THREE_TO_RUN)).as("not given: as Medium").isEqualTo(medium);
    }

    @Test
    void aLongerStatementWeighsMore() {
        double shortOne = GuideWork.expected(problem("Medium", 600), THREE_TO_RUN);
        double longOne = GuideWork.expected(problem("Medium", 6000), THREE_TO_RUN);
        assertThat(longOne).isGreaterThan(shortOne * 2);
    }

    @Test
    void cachedStagesCostNothingAndTheirRepliesSayHowTheRestWillGo() {
        Problem problem = problem("Medium", 1500);
        double all = GuideWork.expected(problem, THREE_TO_RUN);
        List<GuideWork.Stage> firstCached = List.of(GuideWork.Stage.supplied(700), GuideWork.Stage.cached(700, 420),
                GuideWork.Stage.toRun(1200), GuideWork.Stage.toRun(1600));
        double left = GuideWork.expected(problem, firstCached);
        assertThat(left).isLessThan(all);

        List<GuideWork.Stage> longReply = List.of(GuideWork.Stage.supplied(700), GuideWork.Stage.cached(700, 700),
                GuideWork.Stage.toRun(1200), GuideWork.Stage.toRun(1600));
        List<GuideWork.Stage> shortReply = List.of(GuideWork.Stage.supplied(700), GuideWork.Stage.cached(700, 100),
                GuideWork.Stage.toRun(1200), GuideWork.Stage.toRun(1600));
        assertThat(GuideWork.expected(problem, longReply)).isGreaterThan(left);
        assertThat(GuideWork.expected(problem, shortReply)).isLessThan(left);

        List<GuideWork.Stage> allCached = List.of(GuideWork.Stage.supplied(700), GuideWork.Stage.cached(700, 400),
                GuideWork.Stage.cached(1200, 900), GuideWork.Stage.cached(1600, 1200));
        assertThat(GuideWork.expected(problem, allCached)).isZero();
    }

    @Test
    void withoutAStatementTheDescribeStageCountsAndATypicalLengthIsAssumed() {
        List<GuideWork.Stage> fourToRun = List.of(GuideWork.Stage.toRun(700), GuideWork.Stage.toRun(700),
                GuideWork.Stage.toRun(1200), GuideWork.Stage.toRun(1600));
        assertThat(GuideWork.expected(problem("Medium", 0), fourToRun))
                .isGreaterThan(GuideWork.expected(problem("Medium", 1500), THREE_TO_RUN));
    }
}
