package dev.guidesmith.llm;

/** Thrown by a {@link PromptSource}: even with every input shortened, the prompt is larger than the endpoint's budget. */
public class PromptTooLongException extends RuntimeException {

    public PromptTooLongException(int tokens, int budget) {
        super("the prompt needs about " + tokens + " tokens even shortened, but the endpoint leaves " + budget
                + " for it; give the endpoint a larger context (num_ctx / -c), lower the stage's max-tokens,"
                + " or shorten its template");
    }
}
