package dev.guidesmith.sim;

import static dev.guidesmith.sim.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Work that varies with the problem: with {@code replyTokensPerPromptToken} a longer prompt gets a
 * longer reply; without it every full reply is {@code replyTokens} long, as before.
 */
class ReplySizeTest {

    private static int replyTokens(SimSettings settings, int promptChars) throws Exception {
        try (SimulatedModelServer sim = new SimulatedModelServer(settings.withContextTokens(16384)).start()) {
            ObjectNode body = SimClient.userMessages("p".repeat(promptChars));
            body.put("model", "sim-model");
            body.put("stream", false);
            HttpResponse<String> reply = new SimClient(sim.baseUri()).post("/api/chat", body);
            assertThat(reply.statusCode()).isEqualTo(200);
            return json(reply.body()).get("eval_count").asInt();
        }
    }

    @Test
    void aFivefoldLongerPromptGetsAFivefoldLongerReply() throws Exception {
        SimSettings sized = SimSettings.defaults().withReplyTokens(1).withReplyTokensPerPromptToken(0.25);
        int shortReply = replyTokens(sized, 1600); // 400 prompt tokens: 1 + 100
        int longReply = replyTokens(sized, 8000); // 2,000 prompt tokens: 1 + 500
        assertThat(shortReply).isEqualTo(101);
        assertThat(longReply).isEqualTo(501);
    }

    @Test
    void byDefaultEveryFullReplyIsReplyTokensLong() throws Exception {
        SimSettings fixed = SimSettings.defaults().withReplyTokens(120);
        assertThat(replyTokens(fixed, 100)).isEqualTo(120);
        assertThat(replyTokens(fixed, 8000)).isEqualTo(120);
    }
}
