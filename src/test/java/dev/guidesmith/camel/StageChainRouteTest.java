package dev.guidesmith.camel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.Application;
import dev.guidesmith.problems.Problem;
import dev.guidesmith.stages.Fingerprinter;
import dev.guidesmith.stages.StageCatalog;
import dev.guidesmith.stages.StageStats;
import dev.guidesmith.stages.WorkItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The stage routes as camel-main makes them from the real configuration (application.properties,
 * routes/*.camel.yaml, the beans): a planned problem sent to the first stage passes every stage of
 * {@code pipeline.stages} in order, one model call each, then the checks, and reaches the render
 * queue (mocked here) carrying only itself and how its checks went: its results are in the stage
 * cache.
 */
class StageChainRouteTest extends CamelMainTestSupport {

    private static final Path WORK = scratch();

    private static Path scratch() {
        try {
            return Files.createTempDirectory("guidesmith-route-test-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void removeScratch() throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(WORK)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }

    @Override
    protected Class<?> getMainClass() {
        return Application.class;
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:application.properties";
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties overrides = new Properties();
        overrides.put("pipeline.inbox", WORK.resolve("inbox").toString());
        overrides.put("pipeline.output", WORK.resolve("output").toString());
        overrides.put("pipeline.work", WORK.resolve("work").toString());
        overrides.put("pipeline.http.port", "0");
        overrides.put("llm.endpoints", "sim");
        overrides.put("llm.endpoint.sim.api", "sim");
        overrides.put("llm.endpoint.sim.model", "sim-coder");
        overrides.put("llm.endpoint.sim.slots", "2");
        overrides.put("llm.endpoint.sim.sim.token-latency-ms", "0");
        overrides.put("llm.endpoint.sim.sim.reply-tokens", "80");
        return overrides;
    }

    @Override
    public String isMockEndpointsAndSkip() {
        return "seda:render*";
    }

    @Test
    void aPlannedProblemPassesEveryStageInOrderAndReachesRender() throws Exception {
        StageCatalog catalog = context.getRegistry().lookupByNameAndType("stageCatalog", StageCatalog.class);
        WorkItem item = new Fingerprinter(catalog).plan("route-test", 1,
                new Problem("1", true, "Two Sum", "two-sum", "Easy", List.of("Array"), List.of(), null));
        MockEndpoint render = getMockEndpoint("mock:seda:render");
        render.expectedMessageCount(1);
        render.setResultWaitTime(30_000);

        template.sendBody("seda:describe", item);

        render.assertIsSatisfied();
        WorkItem arrived = render.getExchanges().get(0).getMessage().getBody(WorkItem.class);
        assertThat(arrived.stage()).as("the last step it passed").isEqualTo("checks");
        assertThat(arrived.checks().ok()).as("the simulator's code passes every check: " + arrived.checks()).isTrue();
        dev.guidesmith.checks.CheckCatalog checks = context.getRegistry().lookupByNameAndType("checkCatalog",
                dev.guidesmith.checks.CheckCatalog.class);
        assertThat(arrived.checks().passed()).as("every check that runs here (python3 and g++ may be missing)")
                .contains("sections").containsExactlyElementsOf(checks.active().stream()
                        .map(dev.guidesmith.checks.CheckDefinition::name).toList());
        assertThat(arrived.problem()).isEqualTo(item.problem());
        StageStats stats = context.getRegistry().lookupByNameAndType("stageStats", StageStats.class);
        for (String stage : List.of("describe", "topics", "approaches", "solutions")) {
            assertThat(stats.of(stage).modelCalls()).as(stage + " calls").isEqualTo(1);
            assertThat(context.getRoute("stage-" + stage)).as(stage + " route").isNotNull();
        }
    }
}
