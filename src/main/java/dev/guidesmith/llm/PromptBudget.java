package dev.guidesmith.llm;

import java.util.List;

/**
 * The room a prompt has on the endpoint that will take it, and how that endpoint counts tokens
 * (see {@link TokenCounter}): a {@link PromptSource} measures its messages with it while it
 * shortens them to fit.
 */
public final class PromptBudget {

    /** No limit: the caller's prompt goes as written and the server judges the fit. */
    public static final PromptBudget UNLIMITED = new PromptBudget(Integer.MAX_VALUE, null);

    private final int tokens;
    private final TokenCounter counter;

    PromptBudget(int tokens, TokenCounter counter) {
        this.tokens = tokens;
        this.counter = counter;
    }

    /** A budget counted with {@link TokenEstimate}'s cautious guess (tests, and callers without an endpoint). */
    public static PromptBudget estimated(int tokens) {
        return new PromptBudget(tokens, null);
    }

    public int tokens() {
        return tokens;
    }

    /** The messages' size in the endpoint's tokens. */
    public int count(List<ChatMessage> messages) {
        return counter == null ? TokenEstimate.of(messages) : counter.count(messages, tokens);
    }

    /** About how many characters make that many of the endpoint's tokens. */
    public int chars(int tokenCount) {
        return counter == null ? TokenEstimate.chars(tokenCount) : counter.chars(tokenCount);
    }
}
