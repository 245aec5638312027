package dev.guidesmith.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.guidesmith.camel.CamelModelHttp;
import dev.guidesmith.testkit.LlamaServerProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real llama-server closes connections on its own: after a streamed reply (at once, without
 * saying so) and after 5 idle seconds. A request must not be sent on such a connection: it would
 * fail as "the target server failed to respond", costing the call an attempt and a backoff.
 */
class KeptAliveConnectionsTest {

    static final CallTimeouts TIMEOUTS = new CallTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(120),
            Duration.ofSeconds(5), Duration.ofSeconds(5));
    static final List<ChatMessage> PROMPT = List.of(ChatMessage.user("Once upon a time"));

    @TempDir
    Path dir;

    @Test
    void requestsAfterAStreamedReplyGoThrough() throws Exception {
        assumeTrue(LlamaServerProcess.available(), LlamaServerProcess.whyUnavailable() + ": skipped");
        CamelModelHttp http = CamelModelHttp.standalone();
        try (LlamaServerProcess server = LlamaServerProcess.start(1, 1024, dir.resolve("llama-server.log"))) {
            EndpointSettings endpoint = new EndpointSettings("llama", new LlamaCppModelApi(), URI.create(server.url()),
                    "stories260K", 1, 1.0, 0, null, null);
            try (ModelClient client = endpoint.api().client(endpoint, new ClientWiring(TIMEOUTS, http))) {
                for (int i = 0; i < 5; i++) {
                    assertThat(client.call(call()).outputTokens()).isPositive(); // streamed
                    assertThat(client.countTokens(PROMPT)).isPresent(); // the next request, at once
                }
            }
        } finally {
            http.stop();
        }
    }

    /** The caller's own request (4 tokens, as asked): a reply that ends at its limit is fine here. */
    private static ChatCall call() {
        com.fasterxml.jackson.databind.node.ObjectNode body = dev.guidesmith.support.Json.MAPPER.createObjectNode();
        body.put("max_tokens", 4);
        body.withArray("messages").addObject().put("role", "user").put("content", PROMPT.get(0).content());
        return new ChatCall(PROMPT, null, 4, 0, TokenEstimate.of(PROMPT), 512, body, true);
    }

    @Test
    void aCallAfterTheServerClosedTheIdleConnectionGoesThrough() throws Exception {
        assumeTrue(LlamaServerProcess.available(), LlamaServerProcess.whyUnavailable() + ": skipped");
        CamelModelHttp http = CamelModelHttp.standalone();
        try (LlamaServerProcess server = LlamaServerProcess.start(1, 1024, dir.resolve("llama-server.log"))) {
            EndpointSettings endpoint = new EndpointSettings("llama", new LlamaCppModelApi(), URI.create(server.url()),
                    "stories260K", 1, 1.0, 0, null, null);
            try (ModelClient client = endpoint.api().client(endpoint, new ClientWiring(TIMEOUTS, http))) {
                assertThat(client.call(call()).outputTokens()).isPositive();
                Thread.sleep(6_500); // past llama-server's keep-alive of 5 s: it closes the pooled connection
                assertThat(client.call(call()).outputTokens()).isPositive();
            }
        } finally {
            http.stop();
        }
    }
}
