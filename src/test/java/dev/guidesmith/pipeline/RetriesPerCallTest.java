package dev.guidesmith.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.sim.Outcome;
import dev.guidesmith.sim.SimFaults;
import dev.guidesmith.sim.SimSettings;
import dev.guidesmith.support.Json;
import dev.guidesmith.testkit.Workloads;
import dev.guidesmith.testing.LogCapture;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testing.SimOllama;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code llm.retry.max-redeliveries} counts the retries of one call: every stage's call starts with
 * a fresh count and a fresh set of endpoints to avoid, and a failure record tells what the failing
 * call did. A reply cut at its length limit is retried with more room before it counts as failed.
 */
class RetriesPerCallTest {

    static final int STAGES = 4;
    static final SimSettings FAST = SimSettings.defaults().withSlots(2).withReplyTokens(80).withTokenLatency(Duration.ZERO);

    @TempDir
    Path dir;

    private static Map<String, String> quickRetries(int redeliveries) {
        Map<String, String> settings = new HashMap<>();
        settings.put("llm.retry.max-redeliveries", Integer.toString(redeliveries));
        settings.put("llm.retry.delay-ms", "10");
        settings.put("llm.retry.max-delay-ms", "50");
        return settings;
    }

    @Test
    void aProblemWhoseCallsFailOnceInEveryStageFinishesWithOneRetryPerCall() throws Exception {
        int problems = 6;
        try (SimOllama box = SimOllama.start("box", FAST.withFaults(SimFaults.none().withFailFirstTry(true)))) {
            Map<String, String> settings = quickRetries(1);
            settings.putAll(box.fleet());
            settings.put("llm.breaker.failures", "1000"); // every call's first try fails: not a sign of a sick server here
            try (InJvmService service = InJvmService.start(dir, settings)) {
                service.drop(Workloads.problems(dir.resolve("p.jsonl"), 1, problems), "p.jsonl");
                service.awaitSettled("p.jsonl", Duration.ofMinutes(1));
                assertThat(service.failureCount()).isZero();
                assertThat(service.guideCount()).isEqualTo(problems);
            }
            assertThat(box.server().counters().count(Outcome.ERROR)).as("first tries refused").isEqualTo(problems * STAGES);
            assertThat(box.server().counters().count(Outcome.STOP)).as("retries answered").isEqualTo(problems * STAGES);
        }
    }

    @Test
    void aFailureRecordCountsTheAttemptsOfTheFailingCallAndNamesItsEndpoints() throws Exception {
        SimSettings broken = FAST.withFaults(SimFaults.none().withErrorRate(1.0));
        try (SimOllama a = SimOllama.start("a", broken); SimOllama b = SimOllama.start("b", broken);
             LogCapture log = new LogCapture()) {
            Map<String, String> settings = quickRetries(2);
            settings.putAll(a.endpoint());
            settings.putAll(b.endpoint());
            settings.put("llm.endpoints", "a,b");
            settings.put("llm.breaker.failures", "100"); // keep both in the fleet: this test is about one call
            try (InJvmService service = InJvmService.start(dir, settings)) {
                service.drop(Workloads.problems(dir.resolve("p.jsonl"), 7, 1), "p.jsonl");
                service.awaitSettled("p.jsonl", Duration.ofMinutes(1));
                JsonNode failure = Json.MAPPER.readTree(service.work().resolve("failed/7.json").toFile()).path("failure");
                assertThat(failure.path("stage").asText()).isEqualTo("describe");
                assertThat(failure.path("attempts").asInt()).as("1 try + 2 redeliveries").isEqualTo(3);
                List<String> endpoints = new ArrayList<>();
                failure.path("endpoints").forEach(e -> endpoints.add(e.asText()));
                assertThat(endpoints).as("the second attempt avoids the endpoint that failed the first")
                        .containsExactlyInAnyOrder("a", "b");
            }
            assertThat(a.calls() + b.calls()).isEqualTo(3);
            assertThat(log.text()).contains("attempt 1 failed").contains("attempt 3 failed")
                    .containsPattern("failed in stage describe after 3 attempt\\(s\\) on [ab], [ab]");
        }
    }

    @Test
    void aReplyCutAtItsLimitIsAskedAgainWithMoreRoom() throws Exception {
        // replies of 300 tokens; the stages allow 200: each first try is cut, each retry has 400
        try (SimOllama box = SimOllama.start("box", FAST.withReplyTokens(300))) {
            Map<String, String> settings = quickRetries(1);
            settings.putAll(box.fleet());
            for (String stage : List.of("describe", "topics", "approaches", "solutions")) {
                settings.put("stage." + stage + ".max-tokens", "200");
            }
            try (InJvmService service = InJvmService.start(dir, settings)) {
                service.drop(Workloads.problems(dir.resolve("p.jsonl"), 1, 2), "p.jsonl");
                service.awaitSettled("p.jsonl", Duration.ofMinutes(1));
                assertThat(service.failureCount()).isZero();
                assertThat(service.guideCount()).isEqualTo(2);
            }
            assertThat(box.server().counters().count(Outcome.LENGTH)).as("first tries, cut").isEqualTo(2 * STAGES);
            assertThat(box.server().counters().count(Outcome.STOP)).as("second tries, whole").isEqualTo(2 * STAGES);
            assertThat(box.server().calls()).filteredOn(call -> call.outcome() == Outcome.LENGTH)
                    .allSatisfy(call -> assertThat(call.outputTokens()).isEqualTo(200));
            assertThat(box.server().calls()).filteredOn(call -> call.outcome() == Outcome.STOP)
                    .allSatisfy(call -> assertThat(call.outputTokens()).as("the whole reply: more than 200").isGreaterThan(200));
        }
    }

    @Test
    void aReplyThatDoesNotFitEvenInTwiceTheRoomFailsNamingTheSettingToRaise() throws Exception {
        try (SimOllama box = SimOllama.start("box", FAST.withReplyTokens(3000).withContextTokens(16384))) {
            Map<String, String> settings = quickRetries(4);
            settings.putAll(box.fleet());
            settings.put("llm.endpoint.box.context", "16384");
            try (InJvmService service = InJvmService.start(dir, settings)) {
                service.drop(Workloads.problems(dir.resolve("p.jsonl"), 1, 1), "p.jsonl");
                service.awaitSettled("p.jsonl", Duration.ofMinutes(1));
                JsonNode failure = Json.MAPPER.readTree(service.work().resolve("failed/1.json").toFile()).path("failure");
                assertThat(failure.path("errorClass").asText()).isEqualTo("REPLY_TOO_LONG");
                assertThat(failure.path("attempts").asInt()).as("cut at 700, then at 1400: no more room to give").isEqualTo(2);
                assertThat(failure.path("message").asText()).contains("1400 tokens").contains("raise stage.describe.max-tokens");
            }
            assertThat(box.server().counters().count(Outcome.LENGTH)).isEqualTo(2);
        }
    }
}
