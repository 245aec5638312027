package dev.guidesmith.stages;

import dev.guidesmith.llm.ChatMessage;
import dev.guidesmith.support.Hashing;
import java.util.ArrayList;
import java.util.List;

/**
 * A stage's system message: constant text, the same for every problem, sent before the problem's
 * own text so that model servers answer it from their prompt caches. It has two parts, both
 * optional: the preamble every stage shares ({@code routes/prompts/system.md}: who writes, for whom,
 * the house rules) and the stage's own instructions ({@code routes/prompts/<stage>.system.md}: what
 * to produce, in which form). Where a small context cannot hold it all, the preamble is left out
 * before the instructions are.
 *
 * @param preamble     the shared part, or empty
 * @param instructions the stage's own part, or empty
 */
public record StageSystem(String preamble, String instructions) {

    public static final StageSystem NONE = new StageSystem("", "");

    public StageSystem {
        preamble = preamble == null ? "" : preamble.strip();
        instructions = instructions == null ? "" : instructions.strip();
    }

    /** The whole system message's text (part of the stage's fingerprint). */
    public String text() {
        return join(preamble, instructions);
    }

    /**
     * The system messages to try, the whole one first, then without the preamble; none when the
     * stage has no system text (its prompt is then the user message alone).
     */
    List<List<ChatMessage>> choices() {
        List<List<ChatMessage>> choices = new ArrayList<>();
        if (!text().isEmpty()) {
            choices.add(List.of(ChatMessage.system(text())));
        }
        if (!preamble.isEmpty() && !instructions.isEmpty()) {
            choices.add(List.of(ChatMessage.system(instructions)));
        }
        if (choices.isEmpty() || instructions.isEmpty()) {
            choices.add(List.of());
        }
        return choices;
    }

    /** Names the prompt start calls of this stage share, so the fleet can send them where it is cached; null if none. */
    String prefixKey() {
        return text().isEmpty() ? null : "system:" + Hashing.sha256(text()).substring(0, 16);
    }

    private static String join(String first, String second) {
        return first.isEmpty() ? second : second.isEmpty() ? first : first + "\n\n" + second;
    }
}
