package dev.guidesmith.llm;

/** No byte arrived from a model server within the idle timeout. */
public final class IdleTimeoutException extends Exception {

    public IdleTimeoutException(String message) {
        super(message);
    }
}
