package dev.guidesmith.jobs;

import java.nio.file.Path;
import java.util.List;

/**
 * Where accepted jobs are kept until they finish: folders under {@code <work>/jobs} for one node
 * ({@link JobFolders}), those folders plus a database table for several nodes, so that another
 * node can resume a job whose node died ({@code dev.guidesmith.store}).
 */
public interface JobStore {

    /**
     * Takes a file from the inbox: finds the kind of job it is, keeps a copy and counts its entries.
     *
     * @throws RejectedFileException when the file is not a usable input of any kind
     */
    Job accept(String path, String name);

    /** Jobs accepted earlier and not finished, oldest first. */
    List<Job> unfinished();

    /** Every item of the job is settled: it is put out of the way of the next start; returns its folder now. */
    Path finish(Job job, JobCounts counts);

    /**
     * The job was accepted (here, or with a shared store by any node) and is not finished, whether or
     * not it is under way again since a restart.
     */
    boolean isUnfinished(String id);

    /**
     * Every item of the job up to {@code position} is on a queue that outlives the node (a broker).
     * Recorded after the send, so a crash in between sends one item again rather than losing it.
     * Kept where a node that resumes the job finds it.
     */
    void markSent(Job job, long position);

    /** The position of the job's last item on a queue that outlives the node, or -1 when none is. */
    long lastSent(Job job);
}
