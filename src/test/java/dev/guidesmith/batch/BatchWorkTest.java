package dev.guidesmith.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.support.Json;
import org.junit.jupiter.api.Test;

/** A batch request's expected work: its prompt's size and its reply's room. */
class BatchWorkTest {

    private static JsonNode body(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    private static String chat(String content, String limits) {
        return "{\"model\": \"m\", \"messages\": [{\"role\": \"system\", \"content\": \"Score it.\"}, {\"role\": \"user\","
                + " \"content\": \"" + content + "\"}]" + limits + "}";
    }

    @Test
    void moreRoomForTheReplyWeighsMore() throws Exception {
        assertThat(BatchWork.expected(body(chat("a candidate", ", \"max_tokens\": 800"))))
                .isGreaterThan(BatchWork.expected(body(chat("a candidate", ", \"max_tokens\": 100"))));
        assertThat(BatchWork.expected(body(chat("a candidate", ", \"max_tokens\": 100, \"max_completion_tokens\": 900"))))
                .as("max_completion_tokens wins").isGreaterThan(BatchWork.expected(body(chat("a candidate", ", \"max_tokens\": 800"))));
        assertThat(BatchWork.expected(body(chat("a candidate", ""))))
                .as("unbounded").isGreaterThan(BatchWork.expected(body(chat("a candidate", ", \"max_tokens\": 100"))));
    }

    @Test
    void aLongerPromptWeighsMoreInEveryShape() throws Exception {
        String longText = "y".repeat(8000);
        assertThat(BatchWork.expected(body(chat(longText, ", \"max_tokens\": 100"))))
                .isGreaterThan(BatchWork.expected(body(chat("short", ", \"max_tokens\": 100"))));
        assertThat(BatchWork.expected(body("{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \""
                + longText + "\"}]}], \"max_tokens\": 100}")))
                .as("content parts").isGreaterThan(BatchWork.expected(body(chat("short", ", \"max_tokens\": 100"))));
        assertThat(BatchWork.expected(body("{\"prompt\": \"" + longText + "\", \"max_tokens\": 100}")))
                .as("a completion prompt").isGreaterThan(BatchWork.expected(body("{\"prompt\": \"short\", \"max_tokens\": 100}")));
    }
}
