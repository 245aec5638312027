package dev.guidesmith.jobs;

/**
 * The same problem id arrived with different content while the first version is still being
 * worked on; both would write the same guide file, so the later one is set aside.
 */
public class ConflictingProblemException extends RuntimeException {

    public ConflictingProblemException(String id) {
        super("problem " + id + " is already being worked on from another entry with different content (a duplicate id);"
                + " this entry is skipped. Drop it again once the first is done to replace that guide with this version.");
    }
}
