package dev.guidesmith.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.guidesmith.camel.CamelModelHttp;
import dev.guidesmith.testkit.LlamaServerProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prompts counted in each endpoint's own tokens: estimates from the characters per token its
 * server reports, exact counts where the server or engine can count, asked for only near the budget.
 */
class TokenCountsTest {

    static final CallTimeouts TIMEOUTS = new CallTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(120),
            Duration.ofSeconds(5), Duration.ofSeconds(5));
    static final List<ChatMessage> PROMPT = List.of(
            ChatMessage.system("You write study guides for coding interview problems. Be precise and brief."),
            ChatMessage.user("Problem 1: Two Sum. Given an array of integers nums and an integer target, return the"
                    + " indices of the two numbers that add up to target. Example: nums = [2,7,11,15], target = 9 → [0,1]."));

    @TempDir
    Path dir;

    @Test
    void anEndpointLearnsItsCharactersPerTokenFromWhatItsServerReports() {
        TokenCounter counter = new TokenCounter("e", null);
        int cautious = counter.estimate(PROMPT);
        int chars = PROMPT.stream().mapToInt(m -> m.content().length()).sum();
        // the server says this prompt is chars / 5 tokens of content (plus the framing of two messages)
        int reported = chars / 5 + 2 * TokenEstimate.PER_MESSAGE;
        counter.learn(PROMPT, reported);
        counter.learn(PROMPT, reported);
        assertThat(counter.estimate(PROMPT)).as("two reports are not enough to trust").isEqualTo(cautious);
        counter.learn(PROMPT, reported);
        assertThat(counter.charsPerToken()).isCloseTo(TokenCounter.MARGIN * chars / (chars / 5),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(counter.estimate(PROMPT)).as("still a little above what the server reports")
                .isLessThan(cautious).isGreaterThanOrEqualTo(reported);
    }

    /** A client that counts every prompt as 42 tokens, and how often it was asked. */
    private static ModelClient countingClient(AtomicInteger asked) {
        return new ModelClient() {
            @Override
            public ModelReply call(ChatCall call) {
                throw new UnsupportedOperationException();
            }

            @Override
            public EndpointProbe probe() {
                throw new UnsupportedOperationException();
            }

            @Override
            public OptionalInt countTokens(List<ChatMessage> messages) {
                asked.incrementAndGet();
                return OptionalInt.of(42);
            }
        };
    }

    private static void learnTheRatio(TokenCounter counter) {
        int reported = PROMPT.stream().mapToInt(m -> m.content().length()).sum() / 4 + 2 * TokenEstimate.PER_MESSAGE;
        for (int i = 0; i < TokenCounter.MIN_REPORTS; i++) {
            counter.learn(PROMPT, reported);
        }
    }

    @Test
    void untilTheRatioIsLearnedEveryPromptIsCountedThenOnlyOneNearItsBudget() {
        AtomicInteger asked = new AtomicInteger();
        TokenCounter counter = new TokenCounter("e", countingClient(asked));
        int estimate = counter.estimate(PROMPT);
        assertThat(counter.count(PROMPT, estimate * 4)).as("nothing learned yet: counted").isEqualTo(42);
        assertThat(asked).hasValue(1);

        learnTheRatio(counter);
        estimate = counter.estimate(PROMPT);
        assertThat(counter.count(PROMPT, estimate * 4)).isEqualTo(estimate);
        assertThat(asked).as("well inside the budget: no request").hasValue(1);
        assertThat(counter.count(PROMPT, estimate)).isEqualTo(42);
        assertThat(asked).hasValue(2);
    }

    @Test
    void aPromptTheServerCutMakesEveryPromptCountedAgainWithSmallerTokens() {
        AtomicInteger asked = new AtomicInteger();
        TokenCounter counter = new TokenCounter("e", countingClient(asked));
        learnTheRatio(counter);
        double learned = counter.charsPerToken();
        int estimate = counter.estimate(PROMPT);

        counter.promptWasCut();

        assertThat(counter.charsPerToken()).isEqualTo(learned / 2);
        assertThat(counter.estimate(PROMPT)).isGreaterThan(estimate);
        assertThat(counter.count(PROMPT, estimate * 10)).as("counted, however far from the budget").isEqualTo(42);
        assertThat(asked).hasValue(1);
    }

    @Test
    void aServerThatCannotCountIsNotAskedAgain() {
        AtomicInteger asked = new AtomicInteger();
        ModelClient notCounting = new ModelClient() {
            @Override
            public ModelReply call(ChatCall call) {
                throw new UnsupportedOperationException();
            }

            @Override
            public EndpointProbe probe() {
                throw new UnsupportedOperationException();
            }

            @Override
            public OptionalInt countTokens(List<ChatMessage> messages) {
                asked.incrementAndGet();
                return OptionalInt.empty();
            }
        };
        TokenCounter counter = new TokenCounter("e", notCounting);
        int estimate = counter.estimate(PROMPT);
        assertThat(counter.count(PROMPT, estimate)).isEqualTo(estimate);
        assertThat(counter.count(PROMPT, estimate)).isEqualTo(estimate);
        assertThat(asked).hasValue(1);
    }

    @Test
    void aRealLlamaServerCountsAPromptAsItThenEvaluatesIt() throws Exception {
        assumeTrue(LlamaServerProcess.available(), LlamaServerProcess.whyUnavailable() + ": skipped");
        CamelModelHttp http = CamelModelHttp.standalone();
        try (LlamaServerProcess server = LlamaServerProcess.start(1, 1024, dir.resolve("llama-server.log"))) {
            EndpointSettings endpoint = new EndpointSettings("llama", new LlamaCppModelApi(), URI.create(server.url()),
                    "stories260K", 1, 1.0, 0, null, null);
            try (ModelClient client = endpoint.api().client(endpoint, new ClientWiring(TIMEOUTS, http))) {
                int counted = client.countTokens(PROMPT).orElseThrow();
                // through the server's OpenAI API, which reports prompt_tokens, and ends at the 4 tokens asked without failing
                com.fasterxml.jackson.databind.node.ObjectNode body = dev.guidesmith.support.Json.MAPPER.createObjectNode();
                body.put("max_tokens", 4);
                PROMPT.forEach(m -> body.withArray("messages").addObject().put("role", m.role()).put("content", m.content()));
                ModelReply reply = client.call(new ChatCall(PROMPT, null, 4, 0, TokenEstimate.of(PROMPT), 1024, body, true));
                assertThat(counted).isEqualTo(reply.promptTokens());
            }
        } finally {
            http.stop();
        }
    }

    @Test
    void theInProcessEngineCountsAPromptAsItThenEvaluatesIt() throws Exception {
        Path model = LlamaServerProcess.MODEL;
        assumeTrue(Files.exists(model), "the tiny model " + model + " is not here (see shared/models/README.md): skipped");
        EndpointSettings endpoint = new EndpointSettings("here", new EmbeddedModelApi(), URI.create(""), model.toString(), 1,
                1.0, 1024, null, null);
        try (EmbeddedClient client = new EmbeddedClient(endpoint, TIMEOUTS)) {
            int counted = client.countTokens(PROMPT).orElseThrow();
            ModelReply reply = client.call(new ChatCall(PROMPT, null, 4, 0, TokenEstimate.of(PROMPT), 1024, null, true));
            assertThat(counted).isEqualTo(reply.promptTokens());
        }
    }
}
