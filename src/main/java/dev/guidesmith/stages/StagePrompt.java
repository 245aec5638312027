package dev.guidesmith.stages;

import com.samskivert.mustache.Template;
import dev.guidesmith.llm.ChatMessage;
import dev.guidesmith.llm.PromptBudget;
import dev.guidesmith.llm.PromptSource;
import dev.guidesmith.llm.PromptTooLongException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage's prompt: its system message (constant, see {@link StageSystem}) and, after it, its
 * template over the problem's fields and earlier results as the user's message. When the prompt
 * exceeds the budget, the least important inputs are shortened first (the stage lists its inputs
 * most important first) and each cut is marked, so the model knows material was left out; when even
 * that is not enough, the system message's shared preamble is left out.
 */
final class StagePrompt implements PromptSource {

    static final String CUT_MARK = " […]";
    /** Below this an input is useless; shorten another one instead. */
    static final int MIN_CHARS = 200;
    /** Cut a little more than the overflow: cut marks and rounding add some characters back. */
    static final int SLACK_CHARS = 64;

    private final StageSystem system;
    private final Template template;
    private final Map<String, Object> context;
    private final List<String> shortenFirst;

    StagePrompt(StageSystem system, Template template, Map<String, Object> context, List<String> inputsMostImportantFirst) {
        this.system = system;
        this.template = template;
        this.context = context;
        this.shortenFirst = new ArrayList<>(inputsMostImportantFirst);
        java.util.Collections.reverse(this.shortenFirst);
    }

    @Override
    public List<ChatMessage> render(PromptBudget budget) {
        PromptTooLongException tooLong = null;
        for (List<ChatMessage> systemMessages : system.choices()) {
            try {
                return render(systemMessages, budget);
            } catch (PromptTooLongException e) {
                tooLong = e;
            }
        }
        throw tooLong;
    }

    private List<ChatMessage> render(List<ChatMessage> systemMessages, PromptBudget budget) {
        Map<String, Object> values = new LinkedHashMap<>(context);
        String text = template.execute(values);
        for (String input : shortenFirst) {
            // a structured input may need a few rounds: its short strings (names) are kept whole
            for (int round = 0; round < 6; round++) {
                int over = budget.count(withUser(systemMessages, text)) - budget.tokens();
                if (over <= 0) {
                    break;
                }
                Object shorter = Shortening.remove(values.get(input), budget.chars(over) + SLACK_CHARS, MIN_CHARS);
                if (shorter == null) {
                    break;
                }
                values.put(input, shorter);
                text = template.execute(values);
            }
        }
        List<ChatMessage> messages = withUser(systemMessages, text);
        int tokens = budget.count(messages);
        if (tokens > budget.tokens()) {
            throw new PromptTooLongException(tokens, budget.tokens());
        }
        return messages;
    }

    private static List<ChatMessage> withUser(List<ChatMessage> systemMessages, String text) {
        List<ChatMessage> messages = new ArrayList<>(systemMessages);
        messages.add(ChatMessage.user(text));
        return messages;
    }
}
