package dev.guidesmith.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.support.Json;
import org.junit.jupiter.api.Test;

class ProblemValidatorTest {

    private final ProblemValidator validator = new ProblemValidator();

    private Problem validate(String json) throws Exception {
        JsonNode node = Json.MAPPER.readTree(json);
        return validator.validate(new ProblemEntry("f.json", 3, node, null));
    }

    @Test
    void acceptsTheUsualFieldsAndIgnoresUnknownOnes() throws Exception {
        Problem problem = validate("{\"id\":42,\"title\":\" Trapping  Rain\\nWater \",\"difficulty\":\"hard\","
                + "\"tags\":[\"Array\",{\"name\":\"Stack\"},\"Array\"],\"companies\":\"Google, Amazon\",\"likes\":9}");
        assertThat(problem.id()).isEqualTo("42");
        assertThat(problem.numericId()).isTrue();
        assertThat(problem.title()).isEqualTo("Trapping Rain Water");
        assertThat(problem.slug()).isEqualTo("trapping-rain-water");
        assertThat(problem.difficulty()).isEqualTo("Hard");
        assertThat(problem.topics()).containsExactly("Array", "Stack");
        assertThat(problem.companies()).containsExactly("Google", "Amazon");
        assertThat(problem.hasDescription()).isFalse();
    }

    @Test
    void requiresIdAndTitleAndNamesTheEntry() {
        assertThatThrownBy(() -> validate("{\"title\":\"A\"}")).isInstanceOf(InvalidProblemException.class)
                .hasMessageContaining("f.json entry #3").hasMessageContaining("\"id\"");
        assertThatThrownBy(() -> validate("{\"id\":7}")).isInstanceOf(InvalidProblemException.class)
                .hasMessageContaining("id 7").hasMessageContaining("\"title\"");
        assertThatThrownBy(() -> validate("{\"id\":1.5,\"title\":\"A\"}")).isInstanceOf(InvalidProblemException.class);
        assertThatThrownBy(() -> validate("[1]")).isInstanceOf(InvalidProblemException.class)
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void boundsHugeFields() throws Exception {
        Problem problem = validate("{\"id\":\"a\",\"title\":\"" + "t".repeat(1000) + "\",\"description\":\""
                + "d".repeat(50_000) + "\"}");
        assertThat(problem.title()).hasSizeLessThan(ProblemValidator.MAX_TITLE + 10);
        assertThat(problem.description()).hasSizeLessThan(ProblemValidator.MAX_DESCRIPTION + 10).endsWith("[…]");
    }

    @Test
    void keepsPathLikeIdsAsTextButNeverAsFileNames() throws Exception {
        Problem problem = validate("{\"id\":\"../../etc/passwd\",\"title\":\"A\"}");
        assertThat(problem.id()).isEqualTo("../../etc/passwd");
        assertThat(problem.guideFileName()).startsWith("question_etc_passwd-").endsWith(".md").doesNotContain("/");
    }
}
