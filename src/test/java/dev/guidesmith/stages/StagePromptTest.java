package dev.guidesmith.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guidesmith.llm.ChatMessage;
import dev.guidesmith.llm.PromptBudget;
import dev.guidesmith.llm.PromptTooLongException;
import dev.guidesmith.llm.TokenEstimate;
import dev.guidesmith.support.Templates;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StagePromptTest {

    private static final String TEMPLATE = "Problem: {{title}}\n\n{{description}}\n\nApproaches:\n"
            + "{{#approaches.approaches}}- {{name}}: {{idea}}\n{{/approaches.approaches}}";

    private static Map<String, Object> context(int descriptionChars, int ideaChars) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("title", "Two Sum");
        context.put("description", "d".repeat(descriptionChars));
        context.put("approaches", Map.of("approaches", List.of(
                Map.of("name", "Brute force", "idea", "i".repeat(ideaChars)),
                Map.of("name", "Hash map", "idea", "j".repeat(ideaChars)))));
        return context;
    }

    @Test
    void rendersEverythingWhenItFits() {
        StagePrompt prompt = new StagePrompt(StageSystem.NONE, Templates.compile(TEMPLATE), context(300, 100), List.of("title", "description", "approaches"));
        String text = prompt.render(PromptBudget.estimated(10_000)).get(0).content();
        assertThat(text).contains("d".repeat(300)).doesNotContain(StagePrompt.CUT_MARK);
    }

    @Test
    void shortensTheLeastImportantInputFirstAndMarksTheCut() {
        StagePrompt prompt = new StagePrompt(StageSystem.NONE, Templates.compile(TEMPLATE), context(3000, 3000), List.of("title", "description", "approaches"));
        List<ChatMessage> messages = prompt.render(PromptBudget.estimated(2400));
        String text = messages.get(0).content();
        assertThat(TokenEstimate.of(messages)).isLessThanOrEqualTo(2400);
        assertThat(text).contains("Problem: Two Sum").contains("d".repeat(3000)).contains(StagePrompt.CUT_MARK);
        assertThat(text).contains("- Brute force: ").contains("- Hash map: ");
    }

    @Test
    void goesOnToMoreImportantInputsWhenNeeded() {
        StagePrompt prompt = new StagePrompt(StageSystem.NONE, Templates.compile(TEMPLATE), context(6000, 3000), List.of("title", "description", "approaches"));
        List<ChatMessage> messages = prompt.render(PromptBudget.estimated(600));
        assertThat(TokenEstimate.of(messages)).isLessThanOrEqualTo(600);
        assertThat(messages.get(0).content()).contains("Problem: Two Sum").doesNotContain("d".repeat(2000));
    }

    @Test
    void saysSoWhenEvenTheShortenedPromptCannotFit() {
        StagePrompt prompt = new StagePrompt(StageSystem.NONE, Templates.compile(TEMPLATE), context(6000, 3000), List.of("title", "description", "approaches"));
        assertThatThrownBy(() -> prompt.render(PromptBudget.estimated(20))).isInstanceOf(PromptTooLongException.class).hasMessageContaining("context");
    }

    @Test
    void theSystemMessageComesFirstAndIsTheSameForEveryProblem() {
        StageSystem system = new StageSystem("You write study guides.", "Answer in JSON.");
        List<ChatMessage> first = new StagePrompt(system, Templates.compile(TEMPLATE), context(300, 100),
                List.of("title", "description", "approaches")).render(PromptBudget.estimated(10_000));
        Map<String, Object> other = context(500, 50);
        other.put("title", "Three Sum");
        List<ChatMessage> second = new StagePrompt(system, Templates.compile(TEMPLATE), other,
                List.of("title", "description", "approaches")).render(PromptBudget.estimated(10_000));
        assertThat(first).hasSize(2);
        assertThat(first.get(0).role()).isEqualTo("system");
        assertThat(first.get(0).content()).isEqualTo("You write study guides.\n\nAnswer in JSON.").isEqualTo(second.get(0).content());
        assertThat(first.get(1).role()).isEqualTo("user");
        assertThat(first.get(1).content()).startsWith("Problem: Two Sum");
        assertThat(second.get(1).content()).startsWith("Problem: Three Sum");
    }

    @Test
    void aSmallContextLosesTheSharedPreambleBeforeTheStagesInstructions() {
        StageSystem system = new StageSystem("p".repeat(3000), "Answer in JSON.");
        StagePrompt prompt = new StagePrompt(system, Templates.compile(TEMPLATE), context(600, 100),
                List.of("title", "description", "approaches"));
        List<ChatMessage> messages = prompt.render(PromptBudget.estimated(600));
        assertThat(messages.get(0).content()).isEqualTo("Answer in JSON.");
        assertThat(messages.get(1).content()).contains("d".repeat(600));
        assertThat(TokenEstimate.of(messages)).isLessThanOrEqualTo(600);
    }
}
