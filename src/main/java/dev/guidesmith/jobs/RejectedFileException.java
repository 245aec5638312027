package dev.guidesmith.jobs;

/** A whole input file is unusable; the message names it and says why. */
public class RejectedFileException extends RuntimeException {

    public RejectedFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
