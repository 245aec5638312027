package dev.guidesmith.llm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Hands out endpoint slots to waiting calls. Four rules:
 * <ol>
 * <li><b>Caps</b>: an endpoint never has more calls at once than its slots (as they are now: {@code slots=auto}
 *     changes them while calls run).</li>
 * <li><b>Priority</b>: calls of later stages go first (they finish problems already started);
 *     equal priorities are first come, first served, so no stage starves for long. Near the end of
 *     the work the order flips to earlier stages first: the problems with the longest chain of calls
 *     ahead (repairs after the stages) start first, so the run does not end waiting on one last
 *     chain while the rest of the fleet idles. "Near the end" is once every problem left fits in the
 *     pipeline at once (the admission window is 4 per slot): from then on nothing new arrives, and
 *     longest chain first over all the work left is the classic highest-level-first order, which
 *     ends chains of equal steps soonest. Flipped at 2 per slot, a problem admitted late could
 *     still be its stages behind when the rest were done (real servers: 1 problem of 40 ran its
 *     last 13 s alone on 1 of 4 slots).</li>
 * <li><b>Earliest finish</b>: each waiting call, in priority order, is planned onto the endpoint
 *     expected to <em>finish</em> it soonest, counting the time until a busy slot frees up. A call
 *     planned onto a free slot starts now; one planned onto a busy fast endpoint reserves that slot
 *     and waits, so slow endpoints take work only when that finishes sooner (a free slot wins
 *     unless waiting finishes clearly sooner: estimates are noisy, idle slots are sure). With a queue longer
 *     than the fleet, every free slot is some call's earliest finish, so no slot idles while work
 *     waits.</li>
 * <li><b>Server queues</b>: an endpoint with a queue-depth takes that many calls beyond its slots
 *     when they are planned onto it anyway (its busy slot is their earliest finish) and that slot is
 *     expected to free soon: they wait in the server's own queue, and a freed slot there starts the
 *     next call at once instead of idling through the service's turnaround.</li>
 * </ol>
 * Several nodes sharing servers ({@link SharedSlots}): the calls other nodes hold on a server count
 * as busy slots of it, freeing when they are expected to, so a node plans around them; and a call
 * claims its place among the nodes before it starts. A refused claim (the server filled up
 * elsewhere meanwhile) gives the lease back and the call waits for the next plan, in its place.
 * Callers block in {@link #acquire} (their stage's consumer thread waits for its slot).
 */
final class FleetScheduler {

    /** How far down the queue one planning pass looks; deeper calls cannot reach a slot anyway. */
    private static final int MIN_PLANNING_DEPTH = 64;
    /** Waiting for a busy endpoint must finish this much sooner than starting on a free one. */
    static final double FREE_SLOT_PREFERENCE = 0.15;
    /** A free slot that holds the call's prompt prefix wins if it finishes at most this much later. */
    static final double PREFIX_PREFERENCE = 0.25;
    /** "Near the end": at most this many problems left per slot of the fleet (pipeline.max-in-flight's auto). */
    static final int TAIL_PROBLEMS_PER_SLOT = 4;
    private static final Comparator<Waiter> LATER_STAGES_FIRST = Comparator
            .comparingInt((Waiter w) -> -w.request.priority())
            .thenComparingLong(w -> w.sequence);
    private static final long[] NO_CALLS = new long[0];
    private static final Comparator<Waiter> EARLIER_STAGES_FIRST = Comparator
            .comparingInt((Waiter w) -> w.request.priority())
            .thenComparingLong(w -> w.sequence);

    private final List<Endpoint> endpoints;
    private final SharedSlots shared;
    private final ServiceTimes times = new ServiceTimes();
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeSet<Waiter> waiting = new TreeSet<>(LATER_STAGES_FIRST);
    private final Map<Endpoint, List<Lease>> running = new HashMap<>();
    /** Calls running per group (job), for taking turns. */
    private final Map<String, Integer> runningByGroup = new HashMap<>();
    /** When each group's last call started (counted in calls started), for taking turns. */
    private final Map<String, Long> lastStartByGroup = new HashMap<>();
    private long starts;
    private final int planningDepth;
    /** A call waits in a server's queue only for a slot expected to free within this. */
    private final long queueWaitLimitNanos;
    private volatile LongSupplier problemsLeft = () -> Long.MAX_VALUE;
    private boolean stopped;
    private long sequence;
    /** The slot a successful call is handing back now, and when; the call that takes it at once inherits them. */
    private Endpoint freedEndpoint;
    private long freedReplyEnd;
    private long freedAt;

    FleetScheduler(List<Endpoint> endpoints) {
        this(endpoints, java.time.Duration.ofSeconds(90));
    }

    /** @param queueWaitLimit how long a call may expect to wait in a server's queue (half the idle timeout: it waits there without a byte) */
    FleetScheduler(List<Endpoint> endpoints, java.time.Duration queueWaitLimit) {
        this(endpoints, queueWaitLimit, SharedSlots.NONE);
    }

    /** @param shared the servers' places as held by all nodes ({@link SharedSlots#NONE} on one node) */
    FleetScheduler(List<Endpoint> endpoints, java.time.Duration queueWaitLimit, SharedSlots shared) {
        this.endpoints = List.copyOf(endpoints);
        this.shared = shared;
        this.queueWaitLimitNanos = queueWaitLimit.toNanos();
        int most = endpoints.stream().mapToInt(e -> e.settings().mostSlots() + e.queueDepth()).sum();
        this.planningDepth = Math.max(MIN_PLANNING_DEPTH, 4 * most);
        for (Endpoint endpoint : endpoints) {
            running.put(endpoint, new ArrayList<>());
        }
    }

    /**
     * Waits for a slot.
     *
     * @param avoid endpoints that already failed this call; used only while others can take it
     */
    Lease acquire(ModelRequest request, Set<String> avoid) throws InterruptedException, ModelCallException {
        Waiter waiter;
        lock.lock();
        try {
            waiter = new Waiter(request, Set.copyOf(avoid), sequence++, lock.newCondition());
        } finally {
            lock.unlock();
        }
        while (true) {
            Lease lease = awaitLease(waiter);
            if (claimAmongNodes(waiter, lease)) {
                return lease;
            }
        }
    }

    /** Queues the waiter (in its place, by its sequence) until a planning pass gives it a lease. */
    private Lease awaitLease(Waiter waiter) throws InterruptedException, ModelCallException {
        ModelRequest request = waiter.request;
        lock.lock();
        try {
            waiting.add(waiter);
            dispatch();
            while (waiter.lease == null) {
                if (waiter.givenUp) {
                    waiting.remove(waiter);
                    throw new ModelCallException(FailureKind.CANCELLED, null, "stage " + request.stage() + " for "
                            + request.subject() + " was given up before it started");
                }
                if (stopped) {
                    waiting.remove(waiter);
                    throw new ModelCallException(FailureKind.STOPPING, null, "stage " + request.stage() + " for "
                            + request.subject() + " was not started: the service is stopping");
                }
                try {
                    waiter.ready.await(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    if (waiter.lease != null) {
                        finishLocked(waiter.lease, 0);
                    }
                    waiting.remove(waiter);
                    throw e;
                }
                if (waiter.lease == null) {
                    dispatch(); // endpoints may have come back without anyone calling wake()
                }
            }
            return waiter.lease;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Claims the lease's place at its server among the nodes, outside the lock (it is I/O). Refused:
     * the lease is withdrawn as if it never started, and the waiter goes back to wait.
     */
    private boolean claimAmongNodes(Waiter waiter, Lease lease) {
        Endpoint endpoint = lease.endpoint;
        if (endpoint.serverKey() == null) {
            return true; // an in-process engine: each node has its own
        }
        java.util.OptionalLong claim;
        try {
            claim = shared.claim(endpoint.serverKey(), endpoint.slots() + endpoint.queueDepth(),
                    java.time.Duration.ofNanos(Math.max(0, lease.expectedEndNanos - lease.startNanos)));
        } catch (RuntimeException e) {
            withdraw(waiter, lease);
            throw e;
        }
        if (claim.isPresent()) {
            lease.claim = claim.getAsLong();
            return true;
        }
        withdraw(waiter, lease);
        return false;
    }

    private void withdraw(Waiter waiter, Lease lease) {
        lock.lock();
        try {
            withdrawLocked(lease);
            waiter.lease = null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The call on this lease is over: record what it took and give the slot to the next call.
     *
     * @param replyEndNanos when its reply ended (before it was checked), for the slot's turnaround
     */
    void release(Lease lease, ModelReply reply, ModelCallException failure, long replyEndNanos) {
        if (lease.claim != Lease.UNCLAIMED) {
            // first, outside the lock: the next local call on this slot would otherwise find its place still held
            shared.release(lease.claim);
        }
        lock.lock();
        try {
            Endpoint endpoint = lease.endpoint;
            // what the call took at the server: from when it had a slot there, not its wait in the queue
            long millis = (System.nanoTime() - lease.slotNanos) / 1_000_000;
            if (failure == null) {
                times.observe(endpoint, lease.request, millis / 1000.0);
            }
            if (failure == null && !lease.queued) {
                freedReplyEnd = replyEndNanos;
                freedAt = System.nanoTime();
                freedEndpoint = endpoint;
            }
            finishLocked(lease, millis);
            freedEndpoint = null;
        } finally {
            lock.unlock();
        }
    }

    void release(Lease lease, ModelReply reply, ModelCallException failure) {
        release(lease, reply, failure, System.nanoTime());
    }

    /** Endpoint states changed (a health check, a park): plan again. */
    void wake() {
        lock.lock();
        try {
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code change} under the scheduler's lock (endpoint state and failure counters). */
    void update(Runnable change) {
        lock.lock();
        try {
            change.run();
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    /** No call starts from now on; waiting calls fail with {@link FailureKind#STOPPING}. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            waiting.forEach(waiter -> waiter.ready.signal());
        } finally {
            lock.unlock();
        }
    }

    /** The calls of {@code group} that wait for a slot fail at once ({@link FailureKind#CANCELLED}); calls under way go on. */
    void giveUp(String group) {
        lock.lock();
        try {
            for (Waiter waiter : waiting) {
                if (group.equals(waiter.request.options().group())) {
                    waiter.givenUp = true;
                    waiter.ready.signal();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many problems are not finished yet: tells the scheduler when the end of the work is near. */
    void problemsLeft(LongSupplier left) {
        this.problemsLeft = left;
    }

    /** Feeds the service-time model as a finished call would (tests and warm starts). */
    void learn(Endpoint endpoint, ModelRequest request, double seconds) {
        lock.lock();
        try {
            times.observe(endpoint, request, seconds);
        } finally {
            lock.unlock();
        }
    }

    int waitingCount() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Calls waiting per stage, for progress reports. */
    Map<String, Integer> waitingByStage() {
        lock.lock();
        try {
            Map<String, Integer> counts = new HashMap<>();
            for (Waiter waiter : waiting) {
                counts.merge(waiter.request.stage(), 1, Integer::sum);
            }
            return counts;
        } finally {
            lock.unlock();
        }
    }

    private void finishLocked(Lease lease, long millis) {
        if (running.get(lease.endpoint).remove(lease)) {
            String group = groupOf(lease.request);
            if (runningByGroup.computeIfPresent(group, (g, count) -> count > 1 ? count - 1 : null) == null
                    && waiting.stream().noneMatch(w -> groupOf(w.request).equals(group))) {
                lastStartByGroup.remove(group); // a finished job's turn is forgotten
            }
            lease.endpoint.inFlight--;
            lease.endpoint.callEnded(millis);
            if (!lease.queued && startQueuedAtServer(lease.endpoint)) {
                freedEndpoint = null; // the server started the next call itself: no gap on our side
            }
        }
        dispatch();
    }

    /** A lease whose claim among the nodes was refused: undone as if it never started (no slot time, no hand-over). */
    private void withdrawLocked(Lease lease) {
        if (running.get(lease.endpoint).remove(lease)) {
            runningByGroup.computeIfPresent(groupOf(lease.request), (g, count) -> count > 1 ? count - 1 : null);
            lease.endpoint.inFlight--;
            lease.endpoint.callEnded(0);
        }
    }

    /** A slot freed at the server: it starts the call that waited there longest (servers queue first in, first out). */
    private boolean startQueuedAtServer(Endpoint endpoint) {
        Lease next = null;
        for (Lease lease : running.get(endpoint)) {
            if (lease.queued && (next == null || lease.startNanos < next.startNanos)) {
                next = lease;
            }
        }
        if (next == null) {
            return false;
        }
        next.queued = false;
        next.slotNanos = System.nanoTime();
        return true;
    }

    /** One planning pass; see the class comment. Runs under the lock. */
    private void dispatch() {
        if (waiting.isEmpty() || stopped) {
            return;
        }
        long now = System.nanoTime();
        Map<Endpoint, PriorityQueue<Long>> slotFreeAt = new HashMap<>();
        // calls each endpoint may still be sent now: its free slots, and room in its server's queue
        Map<Endpoint, Integer> room = new HashMap<>();
        int openings = 0;
        int fleetSlots = 0;
        Map<String, long[]> elsewhere = shared.heldElsewhere();
        boolean sharedReachable = shared.reachable();
        for (Endpoint endpoint : endpoints) {
            if (endpoint.state != EndpointState.HEALTHY) {
                continue;
            }
            String server = endpoint.serverKey();
            if (server != null && !sharedReachable) {
                continue; // its calls on other nodes are unknown: none starts until the shared store is back
            }
            long[] others = server == null ? NO_CALLS : elsewhere.getOrDefault(server, NO_CALLS);
            // read afresh at every pass: slots=auto changes it; when it drops, calls under way go on, fewer start
            int slots = endpoint.slots();
            fleetSlots += slots;
            int busy = endpoint.inFlight + others.length;
            PriorityQueue<Long> ends = new PriorityQueue<>();
            for (int i = busy; i < slots; i++) {
                ends.add(now);
            }
            for (long end : others) {
                long overdue = now - end; // as below: a call past its estimate needs as long again
                ends.add(overdue < 0 ? end : now + overdue + 1);
            }
            for (Lease lease : running.get(endpoint)) {
                // A call running past its estimate is expected to need as long again as it is
                // overdue: a hung server's slots look ever further away, not about to free up.
                long overdue = now - lease.expectedEndNanos;
                ends.add(overdue < 0 ? lease.expectedEndNanos : now + overdue + 1);
            }
            // calls queued at the server take the slots that free first: the slots free up at the latest ends
            while (ends.size() > slots) {
                ends.poll();
            }
            slotFreeAt.put(endpoint, ends);
            int open = Math.max(0, slots + endpoint.queueDepth() - busy);
            room.put(endpoint, open);
            openings += open;
        }
        int looked = 0;
        boolean nearTheEnd = problemsLeft.getAsLong() <= (long) TAIL_PROBLEMS_PER_SLOT * fleetSlots;
        Iterator<Waiter> queue = inOrder(nearTheEnd ? EARLIER_STAGES_FIRST : LATER_STAGES_FIRST);
        while (openings > 0 && queue.hasNext() && looked++ < planningDepth) {
            Waiter waiter = queue.next();
            Endpoint best = null;
            double bestFinish = Double.MAX_VALUE;
            long bestService = 0;
            for (Endpoint endpoint : candidates(waiter, slotFreeAt.keySet())) {
                PriorityQueue<Long> times = slotFreeAt.get(endpoint);
                if (times.isEmpty()) {
                    continue;
                }
                long service = (long) (this.times.expectedSeconds(endpoint, waiter.request) * 1e9);
                long wait = Math.max(0, times.peek() - now);
                // compared as seconds from now; a busy slot's finish carries a handicap (see class comment)
                double finish = wait == 0 ? service : (wait + service) * (1 + FREE_SLOT_PREFERENCE);
                if (finish < bestFinish) {
                    best = endpoint;
                    bestFinish = finish;
                    bestService = service;
                }
            }
            if (best == null) {
                continue; // nothing healthy may serve this call now; it waits for a health check
            }
            Endpoint holder = prefixHolder(waiter, slotFreeAt, now, bestFinish);
            if (holder != null) {
                best = holder;
                bestService = (long) (this.times.expectedSeconds(holder, waiter.request) * 1e9);
            }
            long slotAt = slotFreeAt.get(best).poll();
            long end = Math.max(slotAt, now) + bestService;
            slotFreeAt.get(best).add(end);
            boolean queueAtServer = best.queueDepth() > 0 && slotAt > now && slotAt - now < queueWaitLimitNanos;
            if (room.get(best) > 0 && (slotAt <= now || queueAtServer)) {
                openings--;
                room.merge(best, -1, Integer::sum);
                waiting.remove(waiter);
                start(waiter, best, now, end, slotAt > now);
            }
        }
    }

    /**
     * An endpoint with a free slot now that holds the call's prompt prefix in its cache (it served
     * the prefix lately) and would finish the call not much later than the best choice: the prompt
     * is then mostly read from the cache. A free slot is taken either way, so no slot idles for it.
     */
    private Endpoint prefixHolder(Waiter waiter, Map<Endpoint, PriorityQueue<Long>> slotFreeAt, long now, double bestFinish) {
        String prefix = waiter.request.options().prefixKey();
        if (prefix == null) {
            return null;
        }
        for (Endpoint endpoint : candidates(waiter, slotFreeAt.keySet())) {
            PriorityQueue<Long> times = slotFreeAt.get(endpoint);
            if (!times.isEmpty() && times.peek() <= now && endpoint.holdsPrefix(prefix)
                    && this.times.expectedSeconds(endpoint, waiter.request) * 1e9 <= bestFinish * (1 + PREFIX_PREFERENCE)) {
                return endpoint;
            }
        }
        return null;
    }

    /**
     * A snapshot of the queue in the order it is planned, so assignments can remove from the queue
     * meanwhile: the given order within each group (a job), the groups taking turns, the one with the
     * fewest calls running (and planned in this pass) first, then the one served longest ago, so a
     * big job cannot starve another.
     */
    private Iterator<Waiter> inOrder(Comparator<Waiter> order) {
        List<Waiter> sorted = new ArrayList<>(waiting);
        if (order != LATER_STAGES_FIRST) {
            sorted.sort(order);
        }
        Map<String, ArrayDeque<Waiter>> byGroup = new LinkedHashMap<>();
        for (Waiter waiter : sorted) {
            byGroup.computeIfAbsent(groupOf(waiter.request), group -> new ArrayDeque<>()).add(waiter);
        }
        if (byGroup.size() <= 1) {
            return sorted.iterator();
        }
        Map<String, Integer> turns = new HashMap<>();
        Map<String, Long> served = new HashMap<>();
        byGroup.keySet().forEach(group -> {
            turns.put(group, runningByGroup.getOrDefault(group, 0));
            served.put(group, lastStartByGroup.getOrDefault(group, -1L));
        });
        List<Waiter> interleaved = new ArrayList<>(sorted.size());
        long planned = starts;
        while (!byGroup.isEmpty()) {
            String next = null;
            for (String group : byGroup.keySet()) {
                if (next == null || takesTurnBefore(group, next, turns, served)) {
                    next = group;
                }
            }
            ArrayDeque<Waiter> queue = byGroup.get(next);
            interleaved.add(queue.pollFirst());
            turns.merge(next, 1, Integer::sum);
            served.put(next, ++planned);
            if (queue.isEmpty()) {
                byGroup.remove(next);
            }
        }
        return interleaved.iterator();
    }

    /** Fewer calls running first; with as many, the group whose last call started longest ago. */
    private static boolean takesTurnBefore(String group, String other, Map<String, Integer> turns, Map<String, Long> served) {
        int running = turns.get(group);
        int otherRunning = turns.get(other);
        return running < otherRunning || running == otherRunning && served.get(group) < served.get(other);
    }

    private static String groupOf(ModelRequest request) {
        String group = request.options().group();
        return group == null ? "" : group;
    }

    private List<Endpoint> candidates(Waiter waiter, Set<Endpoint> healthy) {
        List<Endpoint> allowed = new ArrayList<>();
        List<Endpoint> notAvoided = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            if (healthy.contains(endpoint) && waiter.request.allows(endpoint.name())) {
                allowed.add(endpoint);
                if (!waiter.avoid.contains(endpoint.name())) {
                    notAvoided.add(endpoint);
                }
            }
        }
        return notAvoided.isEmpty() ? allowed : notAvoided;
    }

    private void start(Waiter waiter, Endpoint endpoint, long now, long expectedEnd, boolean queuedAtServer) {
        Lease lease = new Lease(endpoint, waiter.request, now, expectedEnd, queuedAtServer);
        if (endpoint == freedEndpoint && !queuedAtServer) {
            lease.previousReplyEndNanos = freedReplyEnd;
            lease.previousReleaseNanos = freedAt;
            freedEndpoint = null;
        }
        runningByGroup.merge(groupOf(waiter.request), 1, Integer::sum);
        lastStartByGroup.put(groupOf(waiter.request), ++starts);
        endpoint.served(waiter.request.options().prefixKey());
        endpoint.inFlight++;
        endpoint.callStarted();
        running.get(endpoint).add(lease);
        waiter.lease = lease;
        waiter.ready.signal();
    }

    private static final class Waiter {
        final ModelRequest request;
        final Set<String> avoid;
        final long sequence;
        final Condition ready;
        Lease lease;
        boolean givenUp;

        Waiter(ModelRequest request, Set<String> avoid, long sequence, Condition ready) {
            this.request = request;
            this.avoid = avoid;
            this.sequence = sequence;
            this.ready = ready;
        }
    }
}
