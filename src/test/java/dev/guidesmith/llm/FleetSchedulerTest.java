package dev.guidesmith.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FleetSchedulerTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    static Endpoint endpoint(String name, int slots) {
        EndpointSettings settings = new EndpointSettings(name, new OllamaModelApi(), URI.create("http://127.0.0.1:1"), "m", slots, 1.0, 0, null, null);
        Endpoint endpoint = new Endpoint(settings, null);
        endpoint.state = EndpointState.HEALTHY;
        return endpoint;
    }

    /** An endpoint whose server takes {@code queueDepth} calls beyond its slots into its own queue. */
    static Endpoint queueingEndpoint(String name, int slots, int queueDepth) {
        java.util.Map<String, String> keys = java.util.Map.of("llm.endpoint." + name + ".queue-depth", Integer.toString(queueDepth));
        EndpointSettings settings = new EndpointSettings(name, new OllamaModelApi(), URI.create("http://127.0.0.1:1"), "m",
                slots, 1.0, 0, null, new dev.guidesmith.support.Settings(key -> java.util.Optional.ofNullable(keys.get(key))));
        Endpoint endpoint = new Endpoint(settings, null);
        endpoint.state = EndpointState.HEALTHY;
        return endpoint;
    }

    static ModelRequest request(String stage, int priority) {
        return new ModelRequest(stage, priority, "test", budget -> List.of(), null, 100, 0, Set.of());
    }

    @Test
    void neverHandsOutMoreSlotsThanAnEndpointHas() throws Exception {
        Endpoint a = endpoint("a", 2);
        Endpoint b = endpoint("b", 1);
        FleetScheduler scheduler = new FleetScheduler(List.of(a, b));
        AtomicInteger atA = new AtomicInteger();
        AtomicInteger atB = new AtomicInteger();
        AtomicInteger peakA = new AtomicInteger();
        AtomicInteger peakB = new AtomicInteger();
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(threads.submit(() -> {
                Lease lease = scheduler.acquire(request("s", 0), Set.of());
                AtomicInteger count = lease.endpoint == a ? atA : atB;
                AtomicInteger peak = lease.endpoint == a ? peakA : peakB;
                peak.accumulateAndGet(count.incrementAndGet(), Math::max);
                Thread.sleep(5);
                count.decrementAndGet();
                scheduler.release(lease, null, null);
                return null;
            }));
        }
        for (Future<?> call : calls) {
            call.get(30, TimeUnit.SECONDS);
        }
        assertThat(peakA.get()).isEqualTo(2);
        assertThat(peakB.get()).isEqualTo(1);
        assertThat(a.peakInFlight()).isEqualTo(2);
        assertThat(b.peakInFlight()).isEqualTo(1);
    }

    @Test
    void laterStagesGoFirstAndEqualOnesInArrivalOrder() throws Exception {
        Endpoint a = endpoint("a", 1);
        FleetScheduler scheduler = new FleetScheduler(List.of(a));
        Lease busy = scheduler.acquire(request("s", 0), Set.of());
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch queued = new CountDownLatch(4);
        List<Future<?>> calls = new ArrayList<>();
        String[][] arrivals = {{"describe-1", "0"}, {"solutions", "3"}, {"describe-2", "0"}, {"topics", "1"}};
        for (String[] arrival : arrivals) {
            calls.add(threads.submit(() -> {
                queued.countDown();
                Lease lease = scheduler.acquire(request(arrival[0], Integer.parseInt(arrival[1])), Set.of());
                order.add(arrival[0]);
                scheduler.release(lease, null, null);
                return null;
            }));
            waitUntil(() -> scheduler.waitingCount() == calls.size());
        }
        scheduler.release(busy, null, null);
        for (Future<?> call : calls) {
            call.get(10, TimeUnit.SECONDS);
        }
        assertThat(order).containsExactly("solutions", "topics", "describe-1", "describe-2");
    }

    /** The order the waiting calls get one busy slot in, once it frees, with this many problems left. */
    private List<String> orderWith(long problemsLeft, int slots) throws Exception {
        Endpoint a = endpoint("a", slots);
        FleetScheduler scheduler = new FleetScheduler(List.of(a));
        scheduler.problemsLeft(() -> problemsLeft);
        List<Lease> busy = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            busy.add(scheduler.acquire(request("s", 0), Set.of()));
        }
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> calls = new ArrayList<>();
        String[][] arrivals = {{"repair", "4"}, {"solutions", "3"}, {"topics", "1"}};
        for (String[] arrival : arrivals) {
            calls.add(threads.submit(() -> {
                Lease lease = scheduler.acquire(request(arrival[0], Integer.parseInt(arrival[1])), Set.of());
                order.add(arrival[0]);
                Thread.sleep(20); // one at a time through the one slot freed below
                scheduler.release(lease, null, null);
                return null;
            }));
            waitUntil(() -> scheduler.waitingCount() == calls.size());
        }
        scheduler.release(busy.get(0), null, null); // the others stay busy: one slot serves the waiting calls in turn
        for (Future<?> call : calls) {
            call.get(10, TimeUnit.SECONDS);
        }
        busy.subList(1, busy.size()).forEach(lease -> scheduler.release(lease, null, null));
        return order;
    }

    @Test
    void onceEveryProblemLeftFitsInThePipelineTheLongestChainsGoFirst() throws Exception {
        // 3 slots: the pipeline holds 4 problems a slot, 12; with more left, problems under way finish first
        assertThat(orderWith(13, 3)).containsExactly("repair", "solutions", "topics");
        assertThat(orderWith(12, 3)).containsExactly("topics", "solutions", "repair");
    }

    @Test
    void waitsForAMuchFasterBusyEndpointRatherThanStartOnASlowFreeOne() throws Exception {
        Endpoint fast = endpoint("fast", 1);
        Endpoint slow = endpoint("slow", 1);
        FleetScheduler scheduler = new FleetScheduler(List.of(fast, slow));
        // learned: a call takes 0.05 s on fast and 20 s on slow
        scheduler.learn(fast, request("s", 0), 0.05);
        scheduler.learn(slow, request("s", 0), 20);
        Lease first = scheduler.acquire(request("s", 0), Set.of());
        assertThat(first.endpoint).isEqualTo(fast);
        Future<Lease> second = threads.submit(() -> scheduler.acquire(request("s", 0), Set.of()));
        waitUntil(() -> scheduler.waitingCount() == 1);
        Thread.sleep(100);
        assertThat(second.isDone()).as("a free but 400x slower slot is not the earliest finish").isFalse();
        scheduler.release(first, null, null);
        assertThat(second.get(5, TimeUnit.SECONDS).endpoint).isEqualTo(fast);
    }

    @Test
    void sendsUpToItsQueueDepthBeyondItsSlotsAndTheServerStartsThemInOrder() throws Exception {
        Endpoint a = queueingEndpoint("a", 1, 1);
        FleetScheduler scheduler = new FleetScheduler(List.of(a), java.time.Duration.ofSeconds(60));
        scheduler.learn(a, request("s", 0), 1);
        Lease running = scheduler.acquire(request("s", 0), Set.of());
        Lease queued = scheduler.acquire(request("s", 0), Set.of());
        assertThat(running.queued).isFalse();
        assertThat(queued.queued).as("sent to wait in the server's queue: its slot frees in about a second").isTrue();
        Future<Lease> third = threads.submit(() -> scheduler.acquire(request("s", 0), Set.of()));
        waitUntil(() -> scheduler.waitingCount() == 1);
        Thread.sleep(100);
        assertThat(third.isDone()).as("the queue at the server holds one call").isFalse();
        assertThat(a.inFlight()).isEqualTo(2);

        scheduler.release(running, null, null);
        assertThat(queued.queued).as("the server started the queued call in the freed slot").isFalse();
        Lease next = third.get(5, TimeUnit.SECONDS);
        assertThat(next.queued).isTrue();
        assertThat(a.peakInFlight()).isEqualTo(2);
        scheduler.release(queued, null, null);
        scheduler.release(next, null, null);
    }

    @Test
    void queuesAtTheServerOnlyForASlotExpectedToFreeSoon() throws Exception {
        Endpoint a = queueingEndpoint("a", 1, 2);
        FleetScheduler scheduler = new FleetScheduler(List.of(a), java.time.Duration.ofSeconds(5));
        scheduler.learn(a, request("s", 0), 30); // a call takes 30 s: waiting in the server's queue would outlast the limit
        Lease running = scheduler.acquire(request("s", 0), Set.of());
        Future<Lease> second = threads.submit(() -> scheduler.acquire(request("s", 0), Set.of()));
        waitUntil(() -> scheduler.waitingCount() == 1);
        Thread.sleep(100);
        assertThat(second.isDone()).isFalse();
        scheduler.release(running, null, null);
        assertThat(second.get(5, TimeUnit.SECONDS).queued).isFalse();
    }

    @Test
    void aServerQueueTakesOnlyCallsPlannedOntoItAnyway() throws Exception {
        Endpoint fast = queueingEndpoint("fast", 1, 1);
        Endpoint slow = endpoint("slow", 1);
        FleetScheduler scheduler = new FleetScheduler(List.of(fast, slow), java.time.Duration.ofSeconds(60));
        scheduler.learn(fast, request("s", 0), 1);
        scheduler.learn(slow, request("s", 0), 1.5);
        Lease first = scheduler.acquire(request("s", 0), Set.of());
        assertThat(first.endpoint).isEqualTo(fast);
        // fast would finish a second call at about 2 s, slow at 1.5 s: the free slow slot wins
        Lease second = scheduler.acquire(request("s", 0), Set.of());
        assertThat(second.endpoint).isEqualTo(slow);
        // a third finishes soonest after fast's running call: it waits in fast's queue, not in ours
        Lease third = scheduler.acquire(request("s", 0), Set.of());
        assertThat(third.endpoint).isEqualTo(fast);
        assertThat(third.queued).isTrue();
        scheduler.release(first, null, null);
        scheduler.release(second, null, null);
        scheduler.release(third, null, null);
    }

    @Test
    void usesTheSlowEndpointWhenTheQueueIsLongEnoughThatItFinishesSooner() throws Exception {
        Endpoint fast = endpoint("fast", 1);
        Endpoint slow = endpoint("slow", 1);
        FleetScheduler scheduler = new FleetScheduler(List.of(fast, slow));
        scheduler.learn(fast, request("s", 0), 1);
        scheduler.learn(slow, request("s", 0), 3);
        Lease first = scheduler.acquire(request("s", 0), Set.of());
        List<Future<Lease>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(threads.submit(() -> scheduler.acquire(request("s", 0), Set.of())));
        }
        // fast finishes the queued calls at about 2, 3, 4 s; slow finishes one at 3 s: the third goes to slow
        Lease onSlow = null;
        for (Future<Lease> future : waiting) {
            try {
                onSlow = future.get(2, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException ignored) {
                // still waiting for fast
            }
        }
        assertThat(onSlow).isNotNull();
        assertThat(onSlow.endpoint).isEqualTo(slow);
        scheduler.release(first, null, null);
    }

    @Test
    void avoidsEndpointsThatFailedTheCallWhileOthersCanTakeIt() throws Exception {
        Endpoint a = endpoint("a", 1);
        Endpoint b = endpoint("b", 1);
        FleetScheduler scheduler = new FleetScheduler(List.of(a, b));
        Lease lease = scheduler.acquire(request("s", 0), Set.of("a"));
        assertThat(lease.endpoint).isEqualTo(b);
        scheduler.release(lease, null, null);
        Lease again = scheduler.acquire(request("s", 0), Set.of("a", "b"));
        assertThat(again.endpoint).isIn(a, b);
        scheduler.release(again, null, null);
    }

    @Test
    void sendsNothingToAnEndpointThatIsNotHealthyAndResumesWhenItIs() throws Exception {
        Endpoint a = endpoint("a", 1);
        a.state = EndpointState.PARKED;
        FleetScheduler scheduler = new FleetScheduler(List.of(a));
        Future<Lease> call = threads.submit(() -> scheduler.acquire(request("s", 0), Set.of()));
        Thread.sleep(200);
        assertThat(call.isDone()).isFalse();
        scheduler.update(() -> a.state = EndpointState.HEALTHY);
        assertThat(call.get(5, TimeUnit.SECONDS).endpoint).isEqualTo(a);
    }

    @Test
    void respectsAStageLimitedToSomeEndpoints() throws Exception {
        Endpoint a = endpoint("a", 4);
        Endpoint b = endpoint("b", 1);
        FleetScheduler scheduler = new FleetScheduler(List.of(a, b));
        ModelRequest onlyB = new ModelRequest("code", 0, "t", budget -> List.of(), null, 10, 0, Set.of("b"));
        Lease lease = scheduler.acquire(onlyB, Set.of());
        assertThat(lease.endpoint).isEqualTo(b);
        Future<Lease> next = threads.submit(() -> scheduler.acquire(onlyB, Set.of()));
        Thread.sleep(200);
        assertThat(next.isDone()).as("a's free slots are not for this stage").isFalse();
        scheduler.release(lease, null, null);
        assertThat(next.get(5, TimeUnit.SECONDS).endpoint).isEqualTo(b);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(5);
        }
    }

    static ModelRequest request(String group, String prefix) {
        return new ModelRequest("batch", 0, "test", budget -> List.of(), null, 100, 0, Set.of(),
                new CallOptions(group, null, true, prefix));
    }

    @Test
    void aCallGoesToTheFreeEndpointThatServedItsPromptPrefix() throws Exception {
        Endpoint a = endpoint("a", 1);
        Endpoint b = endpoint("b", 1);
        FleetScheduler scheduler = new FleetScheduler(List.of(a, b));
        // both endpoints free: the first rubric goes to one, the second to the other
        Lease first = scheduler.acquire(request("job", "rubric-1"), Set.of());
        Lease second = scheduler.acquire(request("job", "rubric-2"), Set.of());
        assertThat(second.endpoint).isNotSameAs(first.endpoint);
        // released as failed: calls of microseconds would teach the service-time model only noise
        ModelCallException teachesNothing = new ModelCallException(FailureKind.SERVER_ERROR, null, "test");
        scheduler.release(first, null, teachesNothing);
        scheduler.release(second, null, teachesNothing);
        for (int round = 0; round < 5; round++) {
            // rubric-2 asks first; both are free: it goes where rubric-2 was served, not to the first in line
            Lease two = scheduler.acquire(request("job", "rubric-2"), Set.of());
            Lease one = scheduler.acquire(request("job", "rubric-1"), Set.of());
            assertThat(two.endpoint).as("round " + round).isSameAs(second.endpoint);
            assertThat(one.endpoint).as("round " + round).isSameAs(first.endpoint);
            scheduler.release(two, null, teachesNothing);
            scheduler.release(one, null, teachesNothing);
        }
    }

    @Test
    void jobsTakeTurnsAtTheSlots() throws Exception {
        Endpoint a = endpoint("a", 1);
        FleetScheduler scheduler = new FleetScheduler(List.of(a));
        Lease busy = scheduler.acquire(request("s", 0), Set.of());
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch queued = new CountDownLatch(6);
        List<Future<?>> calls = new ArrayList<>();
        // a big job queues four calls before a small one queues two: they still alternate
        String[] arrivals = {"big", "big", "big", "big", "small", "small"};
        for (String group : arrivals) {
            calls.add(threads.submit(() -> {
                queued.countDown();
                Lease lease = scheduler.acquire(request(group, null), Set.of());
                order.add(group);
                scheduler.release(lease, null, null);
                return null;
            }));
            Thread.sleep(30);
        }
        queued.await();
        Thread.sleep(100);
        scheduler.release(busy, null, null);
        for (Future<?> call : calls) {
            call.get(30, TimeUnit.SECONDS);
        }
        assertThat(order.subList(0, 4)).as("the first four calls").containsExactly("big", "small", "big", "small");
    }

    /** Another node's view of the shared servers, as the scheduler reads it: set by the test. */
    private static final class OtherNodes implements SharedSlots {
        volatile Map<String, long[]> held = Map.of();
        volatile int refusals;
        volatile int claims;
        Runnable listener = () -> { };

        @Override
        public java.util.OptionalLong claim(String server, int cap, java.time.Duration expected) {
            if (refusals > 0) {
                refusals--;
                return java.util.OptionalLong.empty();
            }
            return java.util.OptionalLong.of(++claims);
        }

        @Override
        public void release(long claim) {
        }

        @Override
        public Map<String, long[]> heldElsewhere() {
            return held;
        }

        @Override
        public boolean reachable() {
            return true;
        }

        @Override
        public void onChange(Runnable listener) {
            this.listener = listener;
        }

        void free() {
            held = Map.of();
            listener.run();
        }
    }

    static Endpoint endpointAt(String name, int slots, String url) {
        EndpointSettings settings = new EndpointSettings(name, new OllamaModelApi(), URI.create(url), "m", slots, 1.0, 0, null, null);
        Endpoint endpoint = new Endpoint(settings, null);
        endpoint.state = EndpointState.HEALTHY;
        return endpoint;
    }

    @Test
    void callsAnotherNodeHoldsOnAServerCountAsItsBusySlots() throws Exception {
        Endpoint a = endpointAt("a", 1, "http://127.0.0.1:1");
        Endpoint b = endpointAt("b", 1, "http://127.0.0.1:2");
        OtherNodes others = new OtherNodes();
        others.held = Map.of(a.serverKey(), new long[] {System.nanoTime() + TimeUnit.SECONDS.toNanos(60)});
        FleetScheduler scheduler = new FleetScheduler(List.of(a, b), java.time.Duration.ofSeconds(45), others);
        others.onChange(scheduler::wake);

        Lease first = scheduler.acquire(request("s", 0), Set.of());
        assertThat(first.endpoint).as("a is full on the other node").isEqualTo(b);
        Future<Lease> second = threads.submit(() -> scheduler.acquire(request("s", 0), Set.of()));
        waitUntil(() -> scheduler.waitingCount() == 1);
        Thread.sleep(100);
        assertThat(second.isDone()).as("b busy here, a busy elsewhere").isFalse();

        others.free(); // the other node's call ended: it notifies, the scheduler plans again
        Lease lease = second.get(5, TimeUnit.SECONDS);
        assertThat(lease.endpoint).isEqualTo(a);
        assertThat(lease.claim).isNotEqualTo(Lease.UNCLAIMED);
    }

    @Test
    void aRefusedClaimGivesTheSlotBackAndTheCallWaitsForTheNextPlan() throws Exception {
        Endpoint a = endpointAt("a", 1, "http://127.0.0.1:1");
        OtherNodes others = new OtherNodes();
        others.refusals = 1; // the server filled up on another node since this node last looked
        FleetScheduler scheduler = new FleetScheduler(List.of(a), java.time.Duration.ofSeconds(45), others);

        Future<Lease> call = threads.submit(() -> scheduler.acquire(request("s", 0), Set.of()));
        Lease lease = call.get(5, TimeUnit.SECONDS);
        assertThat(others.refusals).as("refused once, then planned again and granted").isZero();
        assertThat(lease.claim).isEqualTo(1);
        assertThat(a.inFlight).as("the refused lease was withdrawn: one call counted, not two").isEqualTo(1);
        scheduler.release(lease, null, null);
        assertThat(a.inFlight).isZero();
    }
}
