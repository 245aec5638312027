package dev.guidesmith.llm;

/** One message of a chat request ({@code system}, {@code user} or {@code assistant}). */
public record ChatMessage(String role, String content) {

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }
}
