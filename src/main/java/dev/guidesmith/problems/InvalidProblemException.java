package dev.guidesmith.problems;

/** An entry that cannot become a guide: the message says which entry and why. */
public class InvalidProblemException extends RuntimeException {

    private final String problemId;

    public InvalidProblemException(String problemId, String message) {
        super(message);
        this.problemId = problemId;
    }

    /** The id as the entry gave it, or null when it had none. */
    public String problemId() {
        return problemId;
    }
}
