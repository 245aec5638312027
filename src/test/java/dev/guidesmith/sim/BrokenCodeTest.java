package dev.guidesmith.sim;

import static dev.guidesmith.sim.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guidesmith.testing.CodeTools;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code brokenCodeRate}: the simulator writes code that Python or g++ rejects, on purpose, and never
 * when the prompt quotes a compiler's or interpreter's error (a repair request).
 */
class BrokenCodeTest {

    private static final JsonNode SOLUTIONS = json("""
            {"type": "object", "properties": {
              "approach": {"type": "string", "maxLength": 60},
              "python": {"type": "string", "minLength": 1},
              "cpp": {"type": "string", "minLength": 1}},
             "required": ["approach", "python", "cpp"]}
            """);

    @Test
    void brokenCodeIsRejectedByTheRealToolsAndUnbrokenCodeIsNot() throws Exception {
        assumeTrue(CodeTools.installed("python3") && CodeTools.installed("g++"), "python3 and g++ are needed");
        ReplyGenerator generator = new ReplyGenerator(7);
        List<String> python = new java.util.ArrayList<>();
        List<String> cpp = new java.util.ArrayList<>();
        for (long key = 0; key < 20; key++) {
            JsonNode whole = json(generator.json(SOLUTIONS, key, 200 + 100 * (int) key));
            python.add(whole.get("python").asText());
            cpp.add(whole.get("cpp").asText());
        }
        assertThat(CodeTools.pythonErrors(python)).isEmpty();
        assertThat(CodeTools.cppErrors(cpp)).as("the same blocks twice in one function still compile").isEmpty();
        for (long key = 0; key < 3; key++) {
            JsonNode whole = json(generator.json(SOLUTIONS, key, 1600));

            ReplyGenerator.JsonReply both = generator.json(SOLUTIONS, key, 1600, 3);
            assertThat(both.brokenFields()).isEqualTo(2);
            JsonNode broken = json(both.text());
            assertThat(CodeTools.pythonErrors(List.of(broken.get("python").asText()))).contains("source 0");
            assertThat(CodeTools.cppErrors(List.of(broken.get("cpp").asText()))).contains("error:");

            ReplyGenerator.JsonReply cppOnly = generator.json(SOLUTIONS, key, 1600, 2);
            assertThat(cppOnly.brokenFields()).isEqualTo(1);
            assertThat(json(cppOnly.text()).get("python").asText()).isEqualTo(whole.get("python").asText());
        }
    }

    @Test
    void aServerBreaksTheCodeOfItsRepliesAtItsRateButNotWhenThePromptQuotesAnError() throws Exception {
        try (SimulatedModelServer sim = new SimulatedModelServer(SimSettings.defaults().withName("broken")
                .withModels("m").withReplyTokens(200).withBrokenCodeRate(1.0)).start()) {
            SimClient client = new SimClient(sim.baseUri());
            JsonNode first = reply(client, "Write solutions to two-sum.");
            assertThat(sim.counters().brokenCodeReplies()).isEqualTo(1);
            assertThat(first.get("python").asText()).doesNotContain("target):");

            JsonNode repaired = reply(client, "Your solutions failed a check. The check's error:\n"
                    + "  File \"solution.py\", line 2\nSyntaxError: expected ':'\nFix them.");
            assertThat(sim.counters().brokenCodeReplies()).as("a repair request gets whole code").isEqualTo(1);
            assertThat(sim.counters().errorQuotingReplies()).isEqualTo(1);
            assertThat(repaired.get("python").asText()).contains("def solve(nums, target):");
            assertThat(repaired.get("cpp").asText()).contains("return best;");
        }
    }

    private static JsonNode reply(SimClient client, String prompt) throws Exception {
        ObjectNode body = SimClient.userMessages(prompt);
        body.put("model", "m");
        body.put("stream", false);
        body.set("format", SOLUTIONS);
        JsonNode answer = json(client.post("/api/chat", body).body());
        return json(answer.path("message").path("content").asText());
    }
}
