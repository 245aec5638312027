package dev.guidesmith.testing;

import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.sim.SimulatedModelServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A simulated Ollama server on loopback, and the settings that point the service at it. */
public final class SimOllama implements AutoCloseable {

    public static final String MODEL = "sim-coder";

    private final SimulatedModelServer server;
    private final String name;

    private SimOllama(String name, SimulatedModelServer server) {
        this.name = name;
        this.server = server;
    }

    /** A small fast server: 3 slots, short replies, 1 ms per token. */
    public static SimOllama start(String name) {
        return start(name, SimSettings.defaults().withSlots(3).withReplyTokens(120).withTokenLatency(Duration.ofMillis(1)));
    }

    public static SimOllama start(String name, SimSettings settings) {
        return new SimOllama(name, new SimulatedModelServer(settings.withName(name).withModels(MODEL)).start());
    }

    public SimulatedModelServer server() {
        return server;
    }

    /** The endpoint settings for this server alone. */
    public Map<String, String> endpoint() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("llm.endpoint." + name + ".api", "ollama");
        settings.put("llm.endpoint." + name + ".url", server.baseUri().toString());
        settings.put("llm.endpoint." + name + ".model", MODEL);
        settings.put("llm.endpoint." + name + ".slots", Integer.toString(server.settings().slots()));
        return settings;
    }

    /** A fleet of just this server. */
    public Map<String, String> fleet() {
        Map<String, String> settings = endpoint();
        settings.put("llm.endpoints", name);
        return settings;
    }

    public long calls() {
        return server.counters().received();
    }

    @Override
    public void close() {
        server.close();
    }
}
