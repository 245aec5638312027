package dev.guidesmith.problems;

/** A whole file is unusable as a problem list (empty, a lone value, an object without problems). */
public class NotAProblemListException extends RuntimeException {

    public NotAProblemListException(String message) {
        super(message);
    }
}
