package dev.guidesmith.status;

import static dev.guidesmith.testkit.ServiceUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.support.Json;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.ServiceUnderTest;
import dev.guidesmith.testing.SimOllama;
import dev.guidesmith.testing.StatusClient;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as users watch it, against a simulated Ollama server: {@code /status} and
 * {@code /metrics} read while a run goes on never claim more than the files on disk show, and
 * agree with them, the server's own counters, the run report and the index once the run is over.
 */
class WatchingARunTest {

    static final Path SAMPLE = Path.of("data/samples/leetcode-20.json");
    static final int GOOD = 21;
    static final int WITH_DESCRIPTION = 2;
    static final int BAD = 2;

    @TempDir
    Path dir;

    private SimOllama box;

    @BeforeEach
    void startServer() {
        // slow enough (≥ 0.2 s a call, 3 slots, 82 calls) that a run lasts seconds, so it is seen under way
        box = SimOllama.start("box", SimSettings.defaults().withSlots(3).withReplyTokens(60)
                .withTokenLatency(Duration.ofMillis(4)));
    }

    @AfterEach
    void stopServer() {
        box.close();
    }

    private Map<String, String> settings(int port) {
        Map<String, String> settings = new HashMap<>(box.fleet());
        settings.put("pipeline.http.port", Integer.toString(port));
        settings.put("pipeline.index.interval", "1s");
        return settings;
    }

    /** The sample problems and two entries that cannot be problems (no title; no id). */
    private static String problemsWithTwoBadEntries() throws Exception {
        ObjectNode file = (ObjectNode) Json.MAPPER.readTree(SAMPLE.toFile());
        ArrayNode problems = (ArrayNode) file.get("problems");
        problems.addObject().put("id", 9901);
        problems.addObject().put("title", "An entry without an id");
        return Json.pretty(file);
    }

    @Test
    void statusAndMetricsFollowTheRunAndAddUpToTheFilesOnDisk() throws Exception {
        int port = ServiceUnderTest.freePort();
        StatusClient client = new StatusClient(port);
        try (InJvmService service = InJvmService.start(dir, settings(port))) {
            JsonNode idle = client.status();
            assertThat(idle.get("total").asLong()).isZero();
            assertThat(idle.at("/endpoints/box/slots").asInt()).isEqualTo(3);

            service.drop(problemsWithTwoBadEntries(), "mixed.json");
            int seenUnderWay = 0;
            while (!(service.jobsSettled() && Files.exists(service.inbox().resolve(".done/mixed.json")))) {
                JsonNode status = client.status();
                // counted after the file is written: what /status says is done is on disk already
                long guides = service.guideCount();
                long records = service.failureCount();
                assertThat(status.get("done").asLong()).isLessThanOrEqualTo(guides);
                assertThat(status.get("failed").asLong()).isLessThanOrEqualTo(records);
                assertThat(status.get("inFlight").asInt()).isBetween(0, status.get("slots").asInt());
                assertThat(status.at("/endpoints/box/inFlight").asInt()).isBetween(0, 3);
                StatusClient.Metrics metrics = client.metrics();
                // counters only grow: read after /status, /metrics shows at least as much
                assertThat(metrics.value("guidesmith_problems_written_total")).isGreaterThanOrEqualTo(status.get("written").asDouble());
                if (status.get("total").asLong() == GOOD + BAD && status.get("done").asLong() < GOOD) {
                    seenUnderWay++;
                    assertThat(status.get("remaining").asLong()).isPositive();
                    JsonNode job = status.at("/jobs/0");
                    assertThat(job.path("kind").asText()).isEqualTo("guides");
                    assertThat(job.path("name").asText()).isEqualTo("mixed.json");
                    assertThat(job.path("entries").asLong()).isEqualTo(GOOD + BAD);
                    assertThat(job.path("settled").asLong()).isLessThan(GOOD + BAD);
                }
                Thread.sleep(100);
                if (seenUnderWay > 200) {
                    break; // seen enough; the rest of the run is awaited below
                }
            }
            assertThat(seenUnderWay).as("polls of /status while the run was under way").isPositive();
            service.awaitSettled("mixed.json", Duration.ofMinutes(2));

            JsonNode status = client.status();
            assertThat(service.guideCount()).isEqualTo(GOOD);
            assertThat(service.failureCount()).isEqualTo(BAD);
            assertThat(status.get("total").asLong()).isEqualTo(GOOD + BAD);
            assertThat(status.get("done").asLong()).isEqualTo(service.guideCount());
            assertThat(status.get("written").asLong()).isEqualTo(GOOD);
            assertThat(status.get("failed").asLong()).isEqualTo(service.failureCount());
            assertThat(status.get("remaining").asLong()).isZero();
            assertThat(status.get("settled").asLong()).isEqualTo(GOOD + BAD);
            assertThat(status.get("settledPercent").asInt()).isEqualTo(100);
            assertThat(service.bean("progressReport", ProgressReport.class).line())
                    .as("the log's progress line says what /status says")
                    .startsWith(GOOD + "/" + (GOOD + BAD) + " done, " + BAD + " failed (100% settled), 0 to go");
            assertThat(status.get("etaSeconds").asLong()).isZero();
            assertThat(status.get("inFlight").asInt()).isZero();
            assertThat(status.get("activeJobs").asInt()).isZero();
            assertThat(status.path("cluster").isNull()).as("one node, no shared store: no cluster").isTrue();

            JsonNode endpoint = status.at("/endpoints/box");
            assertThat(endpoint.get("state").asText()).isEqualTo("healthy");
            assertThat(endpoint.get("completed").asLong()).isEqualTo(box.server().counters().completed())
                    .isEqualTo(GOOD * 4 - WITH_DESCRIPTION);
            assertThat(endpoint.get("peakInFlight").asInt()).isBetween(1, 3);
            assertThat(endpoint.get("tokensPerSecond").asDouble()).isPositive();

            assertThat(fieldNames(status.get("stages"))).containsExactly("describe", "topics", "approaches", "solutions");
            assertThat(status.at("/stages/describe/modelCalls").asLong()).isEqualTo(GOOD - WITH_DESCRIPTION);
            assertThat(status.at("/stages/describe/fromInput").asLong()).isEqualTo(WITH_DESCRIPTION);
            assertThat(status.at("/stages/solutions/passed").asLong()).isEqualTo(GOOD);
            long stageOutput = 0;
            for (JsonNode stage : status.get("stages")) {
                stageOutput += stage.get("outputTokens").asLong();
            }
            assertThat(stageOutput).isEqualTo(endpoint.get("outputTokens").asLong());

            Set<String> recordNames = failureRecordNames(service);
            List<String> listed = new ArrayList<>();
            for (JsonNode failure : status.get("recentFailures")) {
                listed.add(failure.get("id").asText());
                assertThat(failure.get("stage").asText()).isEqualTo("input");
                assertThat(failure.get("errorClass").asText()).isEqualTo("InvalidProblemException");
                assertThat(failure.get("message").asText()).contains("mixed.json");
                assertThat(failure.get("time").asText()).isNotBlank();
            }
            assertThat(new TreeSet<>(listed)).isEqualTo(recordNames);

            StatusClient.Metrics metrics = client.metrics();
            assertThat(metrics.value("guidesmith_problems_written_total")).isEqualTo(service.guideCount());
            assertThat(metrics.value("guidesmith_problems_failed_total")).isEqualTo(service.failureCount());
            assertThat(metrics.value("guidesmith_problems_accepted")).isEqualTo(GOOD + BAD);
            assertThat(metrics.value("guidesmith_endpoint_calls_completed_total", "endpoint=\"box\""))
                    .isEqualTo(box.server().counters().completed());
            assertThat(metrics.value("guidesmith_endpoint_up", "endpoint=\"box\"")).isEqualTo(1);
            assertThat(metrics.value("guidesmith_endpoint_state", "endpoint=\"box\"", "state=\"healthy\"")).isEqualTo(1);
            assertThat(metrics.value("guidesmith_stage_model_calls_total", "stage=\"describe\"")).isEqualTo(GOOD - WITH_DESCRIPTION);
            // Camel's own route metrics, in the same registry
            assertThat(metrics.value("camel_exchanges_total", "routeId=\"render\"")).isEqualTo(GOOD);

            HttpResponse<String> page = client.get("");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(page.body()).contains("<title>guidesmith").contains("fetch(\"status\"");

            // the run report, written when the job finished
            Path reports = service.work().resolve("reports");
            await("the run report", Duration.ofSeconds(10), () -> Files.isDirectory(reports) && list(reports).size() == 2);
            Path json = list(reports).stream().filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
            JsonNode report = Json.MAPPER.readTree(json.toFile());
            assertThat(report.get("file").asText()).isEqualTo("mixed.json");
            assertThat(report.at("/problems/done").asLong()).isEqualTo(GOOD);
            assertThat(report.at("/problems/failed").asLong()).isEqualTo(BAD);
            assertThat(report.at("/failures/byClass/InvalidProblemException").asLong()).isEqualTo(BAD);
            assertThat(report.at("/failures/byStage/input").asLong()).isEqualTo(BAD);
            assertThat(report.at("/stages/describe/modelCalls").asLong()).isEqualTo(GOOD - WITH_DESCRIPTION);
            assertThat(report.at("/endpoints/box/completed").asLong()).isEqualTo(box.server().counters().completed());
            assertThat(report.at("/endpoints/box/share").asDouble()).isEqualTo(1.0);
            assertThat(report.at("/tokens/output").asLong()).isEqualTo(endpoint.get("outputTokens").asLong());
            assertThat(report.get("overlapping").asBoolean()).isFalse();
            String markdown = Files.readString(Path.of(json.toString().replace(".json", ".md")));
            assertThat(markdown).contains("# Run report: mixed.json").contains("| **done** | **21** |")
                    .contains("| **failed** | **2** |").contains("| InvalidProblemException | 2 |").contains("| box | 3 |");

            // the index lists every guide
            Path index = service.output().resolve("index.md");
            await("the index to list every guide", Duration.ofSeconds(10),
                    () -> Files.exists(index) && Files.readString(index).contains("**21** guides"));
            String text = Files.readString(index);
            for (Path guide : service.guides()) {
                assertThat(text).contains("](" + guide.getFileName() + ")");
            }
            assertThat(text).contains("### Easy (7)").contains("### Medium (11)").contains("### Hard (3)")
                    .contains("- [42. Trapping Rain Water](question_42.md)");
        }
    }

    @Test
    void aRestartedServiceStillShowsWhatFailed() throws Exception {
        int port = ServiceUnderTest.freePort();
        try (InJvmService service = InJvmService.start(dir, settings(port))) {
            service.drop(problemsWithTwoBadEntries(), "mixed.json");
            service.awaitSettled("mixed.json", Duration.ofMinutes(2));
        }
        int again = ServiceUnderTest.freePort();
        try (InJvmService restarted = InJvmService.start(dir, settings(again))) {
            JsonNode status = new StatusClient(again).status();
            assertThat(status.get("failed").asLong()).as("failures of this run").isZero();
            List<String> listed = new ArrayList<>();
            status.get("recentFailures").forEach(f -> listed.add(f.get("id").asText()));
            assertThat(new TreeSet<>(listed)).isEqualTo(failureRecordNames(restarted)).hasSize(BAD);
        }
    }

    @Test
    void portZeroMeansNoServerAndNoStatusRoutes() throws Exception {
        try (InJvmService service = InJvmService.start(dir, settings(0))) {
            assertThat(service.context().getRoute("status-json")).isNull();
            assertThat(service.context().getRoute("status-page")).isNull();
            assertThat(service.context().getRoute("guide-index")).as("the index does not need the page").isNotNull();
        }
    }

    @Test
    void aTakenPortIsAnErrorThatNamesTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> InJvmService.start(dir, settings(taken.getLocalPort())).close())
                    .satisfies(e -> assertThat(messages(e)).contains("pipeline.http.port").contains("another program"));
        }
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> failureRecordNames(InJvmService service) throws Exception {
        return list(service.work().resolve("failed")).stream().map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(".json")).map(n -> n.substring(0, n.length() - ".json".length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<Path> list(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
