package dev.guidesmith.status;

import java.util.List;
import java.util.Map;

/**
 * What {@code GET /status} answers (as JSON, in this order) and the status page shows. Counts are
 * since the service started; {@code done} = {@code written} + {@code alreadyDone}; {@code settled} =
 * {@code done} + {@code failed}, and {@code settledPercent} is its share of {@code total}, rounded
 * down (the progress line in the log shows the same figures).
 *
 * @param inFlight   model calls running now, over all endpoints
 * @param slots      calls the fleet may run at once
 * @param waiting    calls waiting for a free slot
 * @param perMinute  guides written per minute over the recent window
 * @param etaSeconds time to finish at that rate; null while there is no rate yet
 * @param activeJobs jobs accepted and not finished
 * @param jobs       the jobs that have begun, with their counts (an earlier run's settled items included)
 * @param needReview guides written that failed their checks after their repairs (in {@code written})
 * @param checks     the checks of {@code guide.checks}, in order
 * @param node       this node: its id, its role and where the state is kept
 * @param cluster    with a shared store, the whole cluster as the store has it (every node's
 *                   jobs and the nodes); null on one node with local files
 */
public record RunStatus(
        Node node,
        long total,
        long done,
        long written,
        long alreadyDone,
        long failed,
        long needReview,
        long settled,
        int settledPercent,
        long remaining,
        int inFlight,
        int slots,
        int waiting,
        double perMinute,
        Long etaSeconds,
        long uptimeSeconds,
        int activeJobs,
        List<Job> jobs,
        Map<String, Stage> stages,
        Map<String, Check> checks,
        Map<String, Endpoint> endpoints,
        List<Failure> recentFailures,
        Cluster cluster) {

    /**
     * The node answering.
     *
     * @param id    {@code pipeline.node-id} (host name and process id unless set)
     * @param role  {@code single} (one node: state in local files), {@code leader} (it takes the inbox
     *              and resumes jobs) or {@code standby} (another node leads)
     * @param store {@code files}, or {@code postgresql} when the state is shared
     */
    public record Node(String id, String role, String store) {
    }

    /**
     * A job under way.
     *
     * @param settled      done, already done and failed, an earlier run's included
     * @param perMinute    items this run settled per minute since it began (or resumed) the job
     * @param etaSeconds   time to its end at that pace; null while there is none
     * @param cachedTokens prompt tokens of its calls the servers took from their prompt caches
     * @param details      what its kind shows of it besides (a batch's summary), or null
     */
    public record Job(String id, String kind, String name, long entries, long done, long alreadyDone, long failed,
                      long settled, double perMinute, Long etaSeconds, long calls, long promptTokens, long cachedTokens,
                      long outputTokens, Object details) {
    }

    /**
     * One stage, in pipeline order.
     *
     * @param passed       problems that have this stage's result (model + cache + input)
     * @param repairCalls  calls that asked the stage again because a check failed on its result
     *                     (their tokens and time are in the stage's figures)
     * @param cachedTokens prompt tokens the servers reported taking from their prompt caches
     * @param waiting      calls of this stage waiting for a slot
     * @param modelSeconds time spent in this stage's model calls, summed over calls
     */
    public record Stage(long passed, long modelCalls, long repairCalls, long cacheHits, long fromInput, long promptTokens,
                        long cachedTokens, long outputTokens, double modelSeconds, int waiting) {
    }

    /**
     * One check of the guides, counted in guides.
     *
     * @param state    {@code active}, or {@code skipped} when its tool is not installed here
     * @param note     its command, or why it is skipped
     * @param passed   guides that passed it at once
     * @param repaired guides that failed it at first and passed after their stage was asked again
     * @param failed   guides written still failing it (they need review)
     */
    public record Check(String state, String note, long passed, long repaired, long failed) {
    }

    /**
     * One model server.
     *
     * @param state  healthy, parked, misconfigured or unknown (not checked yet)
     * @param reason       why it is in that state
     * @param cachedTokens prompt tokens the server reported taking from its prompt cache
     * @param queueDepth   calls it may be sent beyond its slots, to wait in its own queue
     * @param inFlight     calls sent to it and not over (running, and waiting in its queue)
     * @param turnaround   the gaps between calls at its slots on the service's side
     * @param autoSlots    with {@code slots=auto}: what the measurement found; null when the slots are a number
     */
    public record Endpoint(String state, String reason, String model, int slots, int queueDepth, int inFlight, long completed,
                           long failed, double tokensPerSecond, int peakInFlight, long promptTokens, long cachedTokens,
                           long outputTokens, double busySeconds, Turnaround turnaround, AutoSlots autoSlots) {
    }

    /**
     * An endpoint's slots found by measurement ({@code slots=auto}).
     *
     * @param maxSlots the most it tries ({@code llm.endpoint.<name>.max-slots}, or fewer when the server says so)
     * @param decision what it is doing or last decided, e.g. "4 slots: 1→2 +85%, 2→4 +40%, 4→8 +3% (flat), keeping 4"
     */
    public record AutoSlots(int maxSlots, String decision) {
    }

    /**
     * Between a reply and the next call at the same slot, in milliseconds on average: the reply
     * checked ({@code check}), the next call chosen ({@code schedule}), its prompt rendered and sent
     * ({@code prepare}).
     */
    public record Turnaround(long gaps, double meanMillis, double checkMillis, double scheduleMillis, double prepareMillis,
                             double maxMillis) {
    }

    /**
     * @param id       the record's name in the failed folder ({@code <id>.json})
     * @param attempts the attempts the failing stage's model call made
     */
    public record Failure(String id, String job, String stage, String errorClass, int attempts, String message,
                          String time) {
    }

    /**
     * The cluster, from the shared store: every node's jobs unfinished or finished recently
     * ({@code pipeline.status.cluster.recent-minutes}) with their items counted, and the nodes seen in
     * that time. The totals are over the jobs listed. Read at most every
     * {@code pipeline.status.cluster.cache-ms}, so polling pages cost the database little.
     *
     * @param nodesUp     nodes whose heartbeat is fresh
     * @param nodesLost   nodes not heard from for {@code pipeline.store.node-lost-seconds} that did not stop on purpose
     * @param done        items done, newly or found done already
     * @param perMinute   items the cluster settles per minute (the unfinished jobs' rates summed)
     * @param etaSeconds  time to settle the rest at that rate; null while there is no rate
     * @param unavailable why the store could not be read (the figures are then empty), or null
     */
    public record Cluster(int nodesUp, int nodesLost, long total, long done, long failed, long settled, long remaining,
                          double perMinute, Long etaSeconds, List<ClusterNode> nodes, List<ClusterJob> jobs,
                          String unavailable) {
    }

    /**
     * A node of the cluster, as its last heartbeat says.
     *
     * @param state            {@code up}, {@code lost} (no heartbeat for {@code pipeline.store.node-lost-seconds})
     *                         or {@code stopped} (it stopped on purpose)
     * @param secondsSinceSeen since its last heartbeat, by the database's clock
     * @param inFlight         its model calls in flight, over all endpoints
     * @param slots            the slots it may use, over all endpoints
     * @param endpoints        its calls per endpoint
     */
    public record ClusterNode(String id, String role, String state, String startedAt, String lastSeen,
                              double secondsSinceSeen, int inFlight, int slots,
                              Map<String, ClusterRecords.Calls> endpoints) {
    }

    /**
     * A job of any node, counted from its settled items in the shared store.
     *
     * @param node      the node that accepted it
     * @param perMinute items settled per minute over {@code pipeline.progress.window-seconds}, from the first
     *                  of them (0 until two have settled in it, and for a finished job)
     * @param etaSeconds time to its end at that pace; null while there is none
     */
    public record ClusterJob(String id, String kind, String name, String node, long entries, long done,
                             long alreadyDone, long failed, long settled, boolean finished, double perMinute,
                             Long etaSeconds) {
    }
}
