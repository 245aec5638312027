package dev.guidesmith.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.camel.CamelModelHttp;
import dev.guidesmith.llm.CallAttempts;
import dev.guidesmith.llm.ChatMessage;
import dev.guidesmith.llm.FleetSettings;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.llm.ModelRequest;
import dev.guidesmith.llm.SharedSlots;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.support.Settings;
import dev.guidesmith.testing.PostgresDatabase;
import dev.guidesmith.testkit.PostgresServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes (two fleets, each with its own pool and slot leases) in one JVM, sharing one database
 * and one simulated server: the server's own count of calls at once is the judge.
 */
class SharedSlotCapsTest {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    private static final String MODEL = "sim-coder";
    private static final int SERVER_SLOTS = 2;
    private static final SlotLeaseSettings LEASES = new SlotLeaseSettings(Duration.ofMillis(1500), Duration.ofMillis(200));
    private static CamelModelHttp http;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private SimulatedModelServer server;
    private StoreSettings database;

    @BeforeAll
    static void startHttp() {
        http = CamelModelHttp.standalone();
    }

    @AfterAll
    static void stopHttp() {
        http.stop();
    }

    @BeforeEach
    void startServerAndDatabase() throws Exception {
        // 2 slots, 20 tokens at 5 ms: a call holds a slot about 0.1 s
        server = new SimulatedModelServer(SimSettings.defaults().withModels(MODEL).withSlots(SERVER_SLOTS)
                .withTokenLatency(Duration.ofMillis(5)).withReplyTokens(20)).start();
        database = new StoreSettings(POSTGRES.server().newDatabase(), PostgresServer.USER, "", 4, Duration.ofSeconds(5),
                Duration.ofMillis(200));
    }

    @AfterEach
    void closeAll() throws Exception {
        callers.shutdownNow();
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        server.close();
    }

    @Test
    void twoNodesTogetherNeverSendTheServerMoreCallsThanItsSlots() throws Exception {
        ModelFleet a = fleet(leases("a"));
        ModelFleet b = fleet(leases("b"));

        List<Future<?>> calls = new ArrayList<>();
        calls.addAll(callsFrom(a, 8, 4));
        calls.addAll(callsFrom(b, 8, 4));
        for (Future<?> call : calls) {
            call.get(60, TimeUnit.SECONDS);
        }

        assertThat(server.counters().completed()).isEqualTo(64);
        assertThat(server.counters().maxInside()).as("calls at once at the server, from both nodes")
                .isEqualTo(SERVER_SLOTS);
        assertThat(a.endpoint("box").completed()).as("node a's calls, all answered").isEqualTo(32);
        assertThat(b.endpoint("box").completed()).as("node b's calls, all answered").isEqualTo(32);
    }

    @Test
    void withoutSharedLeasesTwoNodesOverloadTheServer() throws Exception {
        // the control: the same two nodes on one node's terms each keep only their own cap
        ModelFleet a = fleet(SharedSlots.NONE);
        ModelFleet b = fleet(SharedSlots.NONE);
        List<Future<?>> calls = new ArrayList<>();
        calls.addAll(callsFrom(a, 4, 3));
        calls.addAll(callsFrom(b, 4, 3));
        for (Future<?> call : calls) {
            call.get(60, TimeUnit.SECONDS);
        }
        assertThat(server.counters().maxInside()).isGreaterThan(SERVER_SLOTS);
    }

    @Test
    void aKilledNodesSlotsComeBackWhenItsLeasesRunOut() throws Exception {
        PostgresSlotLeases dying = leases("dying");
        ModelFleet survivor = fleet(leases("survivor"));
        String key = SharedSlots.serverKey(survivor.endpoint("box").settings());
        // the dying node holds every place of the server, as with two long calls under way
        for (int i = 0; i < SERVER_SLOTS; i++) {
            assertThat(dying.claim(key, SERVER_SLOTS, Duration.ofMinutes(5))).isPresent();
        }
        Future<?> waiting = callsFrom(survivor, 1, 1).get(0);
        Thread.sleep(LEASES.lease().toMillis());
        assertThat(waiting.isDone()).as("the server is full on the other node: the call waits").isFalse();
        assertThat(server.counters().received()).isZero();

        long killedAt = System.nanoTime();
        dying.stopAsIfKilled(); // no release, no renewal: what SIGKILL leaves
        waiting.get(LEASES.lease().toMillis() + 5000, TimeUnit.MILLISECONDS);
        long backAfterMillis = (System.nanoTime() - killedAt) / 1_000_000;

        assertThat(backAfterMillis).as("at most a lease, a check and the call itself after the kill (with room for a busy machine)")
                .isLessThan(LEASES.lease().toMillis() + LEASES.check().toMillis() + 3000);
        assertThat(backAfterMillis).as("not before its last renewal ran out")
                .isGreaterThanOrEqualTo(LEASES.lease().toMillis() - LEASES.renewal().toMillis() - 100);
        assertThat(server.counters().completed()).isEqualTo(1);
    }

    @Test
    void aClaimBeyondTheCapIsRefusedAndARenewedLeaseOutlivesItsTerm() throws Exception {
        PostgresSlotLeases a = leases("a");
        PostgresSlotLeases b = leases("b");
        OptionalLong first = a.claim("http://x m", 2, Duration.ofSeconds(1));
        OptionalLong second = b.claim("http://x m", 2, Duration.ofSeconds(1));
        assertThat(first).isPresent();
        assertThat(second).isPresent();
        assertThat(a.claim("http://x m", 2, Duration.ofSeconds(1))).as("both places held").isEmpty();
        assertThat(a.claim("http://y m", 2, Duration.ofSeconds(1))).as("another server").isPresent();

        Thread.sleep(2 * LEASES.lease().toMillis()); // renewed meanwhile: still held
        assertThat(b.claim("http://x m", 2, Duration.ofSeconds(1))).isEmpty();
        assertThat(b.heldElsewhere().get("http://x m")).as("what b sees a hold").hasSize(1);

        b.release(second.getAsLong());
        assertThat(a.claim("http://x m", 2, Duration.ofSeconds(1))).as("released: free for any node").isPresent();
    }

    private PostgresSlotLeases leases(String node) {
        SharedStore store = SharedStore.open(database, node);
        opened.add(store);
        PostgresSlotLeases leases = new PostgresSlotLeases(store, node, LEASES);
        leases.start();
        opened.add(leases);
        return leases;
    }

    /** A node's fleet of one endpoint, the shared server, configured with as many slots as the server has. */
    private ModelFleet fleet(SharedSlots shared) {
        Map<String, String> keys = Map.of(
                "llm.endpoints", "box",
                "llm.endpoint.box.api", "ollama",
                "llm.endpoint.box.url", server.baseUri().toString(),
                "llm.endpoint.box.model", MODEL,
                "llm.endpoint.box.slots", Integer.toString(SERVER_SLOTS));
        ModelFleet fleet = new ModelFleet(FleetSettings.from(new Settings(key -> Optional.ofNullable(keys.get(key)))), http,
                shared);
        fleet.start();
        opened.add(fleet);
        return fleet;
    }

    /** {@code callers} threads on the node, each making {@code each} calls one after the other. */
    private List<Future<?>> callsFrom(ModelFleet fleet, int callers, int each) {
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            int caller = i;
            calls.add(this.callers.submit(() -> {
                for (int n = 0; n < each; n++) {
                    String problem = "problem " + caller + "." + n;
                    ModelRequest request = new ModelRequest("describe", 0, problem,
                            budget -> List.of(ChatMessage.user("Explain " + problem)), null, 200, 0.2, Set.of());
                    fleet.call(request, new CallAttempts());
                }
                return null;
            }));
        }
        return calls;
    }
}
