package dev.guidesmith.jobs;

import java.nio.file.Path;

/**
 * An accepted problems file, kept in the work folder until every problem in it is finished or
 * failed.
 *
 * @param name    the file's name as it arrived in the inbox
 * @param file    the job's own copy, which survives restarts
 * @param entries how many entries it holds (counted when it was accepted)
 */
public record Job(String id, String name, Path file, long entries, String acceptedAt) {

    @Override
    public String toString() {
        return "job " + id + " (" + name + ", " + entries + " entries)";
    }
}
