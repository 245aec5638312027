package dev.guidesmith.llm;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that turns chat messages into the text the embedded engine completes. A model
 * whose GGUF file carries a chat template gets it applied by llama.cpp ({@link LlamaModel#applyTemplate},
 * which also appends the assistant's turn opener); a model without one (a base model such as the
 * tiny test model) gets a plain layout: each message under its role, then {@code Assistant:}.
 * Without this check the library would fall back to ChatML, whose markers a model that never saw
 * them only reads as more text.
 */
final class EmbeddedPrompt {

    private EmbeddedPrompt() {
    }

    static String format(List<ChatMessage> messages, LlamaModel model, boolean modelHasTemplate) {
        return modelHasTemplate ? templated(messages, model) : plain(messages);
    }

    /** The plain layout for a model without a chat template. */
    static String plain(List<ChatMessage> messages) {
        StringBuilder prompt = new StringBuilder();
        for (ChatMessage message : messages) {
            prompt.append(label(message.role())).append(":\n").append(message.content().strip()).append("\n\n");
        }
        return prompt.append("Assistant:\n").toString();
    }

    /**
     * The model's own template. The binding takes one system message and user/assistant turns, so
     * system messages are joined and any other role is sent as the user's.
     */
    private static String templated(List<ChatMessage> messages, LlamaModel model) {
        StringBuilder system = new StringBuilder();
        List<Pair<String, String>> turns = new ArrayList<>();
        for (ChatMessage message : messages) {
            if ("system".equals(message.role())) {
                system.append(system.length() == 0 ? "" : "\n\n").append(message.content());
            } else {
                turns.add(new Pair<>("assistant".equals(message.role()) ? "assistant" : "user", message.content()));
            }
        }
        InferenceParameters request = new InferenceParameters("").setMessages(system.length() == 0 ? null : system.toString(), turns);
        return model.applyTemplate(request);
    }

    private static String label(String role) {
        return switch (role) {
            case "system" -> "System";
            case "assistant" -> "Assistant";
            default -> "User";
        };
    }
}
