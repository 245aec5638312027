package dev.guidesmith.llm;

import java.util.List;

/**
 * Produces a request's messages for a given budget of prompt tokens. The fleet knows the budget
 * only once it has picked an endpoint (its context minus the reply's room), so the prompt is built
 * then, and a source shortens its least important material to fit rather than letting a server
 * cut or refuse it.
 */
@FunctionalInterface
public interface PromptSource {

    List<ChatMessage> render(PromptBudget budget);
}
