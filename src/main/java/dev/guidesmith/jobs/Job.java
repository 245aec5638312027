package dev.guidesmith.jobs;

import java.nio.file.Path;

/**
 * An accepted input file, kept in the work folder until every item in it is settled.
 *
 * @param kind    the job kind that reads it ({@link JobKind#name()})
 * @param name    the file's name as it arrived in the inbox
 * @param file    the job's own copy, which survives restarts
 * @param entries how many entries it holds (counted when it was accepted)
 */
public record Job(String id, String kind, String name, Path file, long entries, String acceptedAt) {

    /** The job's own folder: its copy of the file, its manifest and its item ledger. */
    public Path folder() {
        return file.getParent();
    }

    /** The same job, its folder moved (a finished job's, under {@code finished/}). */
    public Job movedTo(java.nio.file.Path newFolder) {
        return new Job(id, kind, name, newFolder.resolve(file.getFileName()), entries, acceptedAt);
    }

    @Override
    public String toString() {
        return "job " + id + " (" + name + ", " + entries + " entries)";
    }
}
