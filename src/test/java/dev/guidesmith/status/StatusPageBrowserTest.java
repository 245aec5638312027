package dev.guidesmith.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.ServiceUnderTest;
import dev.guidesmith.testing.HeadlessChromium;
import dev.guidesmith.testing.SimOllama;
import dev.guidesmith.testing.StatusClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real browser (Debian's chromium, headless): after it has fetched
 * {@code /status}, its DOM shows the run's numbers and each endpoint's state, the same as the JSON
 * and the files on disk. Skipped, saying so, where chromium is not installed ({@code .ci/run}
 * installs it).
 */
class StatusPageBrowserTest {

    static final Path SAMPLE = Path.of("data/samples/leetcode-20.json");

    @TempDir
    Path dir;

    @Test
    void thePageShowsTheLiveNumbersAndWhichEndpointIsSick() throws Exception {
        assumeTrue(HeadlessChromium.available(), HeadlessChromium.whyUnavailable());
        int port = ServiceUnderTest.freePort();
        int closedPort = ServiceUnderTest.freePort(); // nothing listens there: that endpoint is down
        try (SimOllama box = SimOllama.start("box")) {
            Map<String, String> settings = new HashMap<>(box.endpoint());
            settings.put("llm.endpoints", "box,down");
            settings.put("llm.endpoint.down.api", "ollama");
            settings.put("llm.endpoint.down.url", "http://127.0.0.1:" + closedPort);
            settings.put("llm.endpoint.down.model", SimOllama.MODEL);
            settings.put("llm.endpoint.down.slots", "1");
            settings.put("pipeline.http.port", Integer.toString(port));
            try (InJvmService service = InJvmService.start(dir, settings)) {
                service.drop(SAMPLE, "sample.json");
                service.awaitSettled("sample.json", Duration.ofMinutes(2));
                StatusClient client = new StatusClient(port);
                JsonNode status = client.status();
                assertThat(status.at("/endpoints/down/state").asText()).isEqualTo("parked");

                String dom = HeadlessChromium.renderedDom(dir, client.base().toString());

                assertThat(dom).as("the page fetched /status and rendered it").contains("<span id=\"connection\" class=\"\">updated ");
                assertThat(dom).contains("<span id=\"done\">" + service.guideCount() + "</span>")
                        .contains("<span id=\"total\">" + status.get("total").asLong() + "</span>")
                        .contains("<div class=\"value\" id=\"failed\">" + service.failureCount() + "</div>");
                assertThat(service.guideCount()).isEqualTo(21);
                assertThat(dom).contains("<tr data-endpoint=\"box\">").contains("<span class=\"state healthy\">healthy</span>")
                        .contains("<tr data-endpoint=\"down\">").contains("<span class=\"state parked\">parked</span>")
                        .contains(escapeHtml(status.at("/endpoints/down/reason").asText()));
                assertThat(dom).contains("<td class=\"num\">" + status.at("/endpoints/box/completed").asLong() + "</td>");
                for (String stage : List.of("describe", "topics", "approaches", "solutions")) {
                    assertThat(dom).contains("<tr data-stage=\"" + stage + "\">");
                }
                for (String check : List.of("sections", "python", "cpp")) {
                    assertThat(dom).contains("<tr data-check=\"" + check + "\">");
                }
                assertThat(dom).contains("<span class=\"state active\">active</span>")
                        .contains("<td class=\"num\">" + status.at("/checks/cpp/passed").asLong() + "</td>");
            }
        }
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
