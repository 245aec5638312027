package dev.guidesmith.pipeline;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.testing.SimOllama;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.ServiceProcess;
import dev.guidesmith.testkit.ServiceUnderTest;
import dev.guidesmith.testkit.Workloads;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dguidesmith.role=broker}: the same jar's main class runs only the broker, in a process of
 * its own; a node works through it; SIGTERM stops it with exit code 0, its journal on disk.
 */
class BrokerRoleTest {

    @TempDir
    Path dir;

    @Test
    void theBrokerRoleServesANodeAndStopsCleanlyOnSigterm() throws Exception {
        int port = ServiceUnderTest.freePort();
        Path brokerRoot = dir.resolve("broker");
        try (ServiceProcess broker = ServiceProcess.start(brokerRoot,
                Map.of("guidesmith.role", "broker", "pipeline.broker.port", Integer.toString(port)), "broker.log");
             SimOllama box = SimOllama.start("box")) {
            await("the broker to listen on " + port, Duration.ofMinutes(1),
                    () -> listening(port) && broker.log().contains("Broker listening on tcp://127.0.0.1:" + port));

            Map<String, String> settings = new HashMap<>(box.fleet());
            settings.put("pipeline.queue", "jms");
            settings.put("pipeline.broker.url", "tcp://127.0.0.1:" + port);
            settings.put("guide.checks", "sections");
            try (InJvmService node = InJvmService.start(dir.resolve("node"), settings)) {
                node.drop(Workloads.problems(dir.resolve("source/problems.jsonl"), 1, 3), "problems.jsonl");
                node.awaitSettled("problems.jsonl", Duration.ofMinutes(1));
                assertThat(node.guideCount()).isEqualTo(3);
            }

            assertThat(broker.terminate(Duration.ofSeconds(30))).as("exit code after SIGTERM").isZero();
            assertThat(broker.log()).contains("SIGTERM received: stopping the broker");
            assertThat(brokerRoot.resolve("work/broker/journal")).as("the journal under pipeline.work").isDirectory();
            try (var files = Files.list(brokerRoot.resolve("work/broker/journal"))) {
                assertThat(files.filter(f -> f.toString().endsWith(".amq"))).isNotEmpty();
            }
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
