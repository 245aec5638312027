package dev.guidesmith.bench;

import dev.guidesmith.camel.CamelModelHttp;
import dev.guidesmith.llm.CallAttempts;
import dev.guidesmith.llm.ChatMessage;
import dev.guidesmith.llm.FleetSettings;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.llm.ModelHttp;
import dev.guidesmith.llm.ModelRequest;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.sim.SimulatedModelServer;
import dev.guidesmith.support.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the client adds to each model call, against an instant simulated server: the time per call
 * through the fleet (scheduling, prompt fitting, streaming over camel-http, classification, reply
 * checks) for each API, next to a bare HTTP request for the same streamed reply with the JDK client
 * (lines read and dropped), one call at a time.
 *
 * <pre>
 * java -cp target/guidesmith.jar dev.guidesmith.bench.ClientOverheadBenchmark [calls]
 * </pre>
 */
public final class ClientOverheadBenchmark {

    private ClientOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        SimSettings instant = SimSettings.defaults().withModels("sim").withReplyTokens(100);
        try (SimulatedModelServer server = new SimulatedModelServer(instant).start()) {
            System.out.println();
            System.out.printf("Client overhead: %,d sequential calls per row, instant simulated server, 100-token replies%n", calls);
            double bare = bareHttp(server.baseUri(), calls);
            System.out.printf("  %-46s %8.0f µs per call%n", "bare JDK HTTP, Ollama NDJSON stream", bare);
            try (CamelModelHttp http = CamelModelHttp.standalone()) {
                for (String api : List.of("ollama", "openai", "llamacpp")) {
                    double through = throughFleet(server.baseUri(), api, http, calls);
                    System.out.printf("  %-46s %8.0f µs per call (%+.0f µs)%n", "guidesmith fleet, " + api + " API, camel-http",
                            through, through - bare);
                }
            }
        }
    }

    private static double throughFleet(URI url, String api, ModelHttp http, int calls) throws Exception {
        Map<String, String> values = new HashMap<>();
        values.put("llm.endpoints", "bench");
        values.put("llm.endpoint.bench.api", api);
        values.put("llm.endpoint.bench.url", url.toString());
        values.put("llm.endpoint.bench.model", "sim");
        values.put("llm.endpoint.bench.slots", "1");
        try (ModelFleet fleet = new ModelFleet(FleetSettings.from(new Settings(key -> Optional.ofNullable(values.get(key)))), http)) {
            fleet.start();
            while (fleet.endpoint("bench").state() != dev.guidesmith.llm.EndpointState.HEALTHY) {
                Thread.sleep(10);
            }
            ModelRequest request = new ModelRequest("bench", 0, "benchmark", budget -> List.of(ChatMessage.user(
                    "Explain the two-pointer technique for sorted arrays.")), null, 500, 0.2, Set.of());
            for (int i = 0; i < calls / 3; i++) {
                fleet.call(request, new CallAttempts()); // warm-up
            }
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                fleet.call(request, new CallAttempts());
            }
            return (System.nanoTime() - start) / 1e3 / calls;
        }
    }

    private static double bareHttp(URI url, int calls) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(url.resolve("/api/chat"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"sim\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"Explain the two-pointer technique for sorted arrays.\"}]}"))
                .build();
        for (int i = 0; i < calls / 3; i++) {
            http.send(request, HttpResponse.BodyHandlers.ofLines()).body().count();
        }
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            http.send(request, HttpResponse.BodyHandlers.ofLines()).body().count();
        }
        return (System.nanoTime() - start) / 1e3 / calls;
    }
}
