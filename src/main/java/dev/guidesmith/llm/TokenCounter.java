package dev.guidesmith.llm;

import java.util.List;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts prompts in one endpoint's tokens. Estimates come from the endpoint's own characters per
 * token, learned from the prompt sizes its server reports (a code-heavy prompt on one tokenizer is
 * not English on another); until it has reported a few, {@link TokenEstimate}'s cautious guess.
 * Where the server or engine can count ({@link ModelClient#countTokens}), a prompt whose estimate
 * comes near its budget is counted exactly, so a budget is used to the full without refusals and
 * prompts well inside it cost no extra request.
 */
final class TokenCounter {

    private static final Logger LOG = LoggerFactory.getLogger(TokenCounter.class);
    /** An estimate above this share of the budget is checked with an exact count. */
    static final double NEAR_BUDGET = 0.8;
    /** Reports learned from before the learned ratio replaces the cautious guess. */
    static final int MIN_REPORTS = 3;
    /** The learned ratio is used with this margin, so estimates err toward "too long". */
    static final double MARGIN = 0.9;

    private final String endpoint;
    private final ModelClient client;
    private long charsReported;
    private long tokensReported;
    private int reports;
    private volatile double charsPerToken = TokenEstimate.CHARS_PER_TOKEN;
    private volatile boolean exactCounting = true;
    /**
     * Count every prompt exactly (where possible) until the endpoint's own ratio is learned: at first,
     * and again after the server cut a prompt we had counted as fitting.
     */
    private volatile boolean countAll = true;

    TokenCounter(String endpoint, ModelClient client) {
        this.endpoint = endpoint;
        this.client = client;
    }

    /** Characters per token this endpoint's estimates use. */
    double charsPerToken() {
        return charsPerToken;
    }

    int estimate(List<ChatMessage> messages) {
        int tokens = 0;
        for (ChatMessage message : messages) {
            tokens += (int) Math.ceil(message.content().length() / charsPerToken) + TokenEstimate.PER_MESSAGE;
        }
        return tokens;
    }

    /** The prompt's tokens: the estimate, or an exact count where one is possible and the estimate is near the budget. */
    int count(List<ChatMessage> messages, int budget) {
        int estimate = estimate(messages);
        if ((estimate < NEAR_BUDGET * budget && !countAll) || !exactCounting || client == null) {
            return estimate;
        }
        try {
            OptionalInt exact = client.countTokens(messages);
            if (exact.isEmpty()) {
                exactCounting = false; // this API cannot count: do not ask again
                return estimate;
            }
            return exact.getAsInt();
        } catch (ModelCallException e) {
            LOG.debug("{} could not count a prompt's tokens ({}); using the estimate", endpoint, e.getMessage());
            return estimate;
        }
    }

    int chars(int tokens) {
        return (int) (tokens * charsPerToken);
    }

    /** A server reported the size of a prompt it was sent. */
    synchronized void learn(List<ChatMessage> messages, int reportedPromptTokens) {
        long chars = 0;
        for (ChatMessage message : messages) {
            chars += message.content().length();
        }
        long contentTokens = reportedPromptTokens - (long) TokenEstimate.PER_MESSAGE * messages.size();
        if (chars == 0 || contentTokens <= 0) {
            return;
        }
        charsReported += chars;
        tokensReported += contentTokens;
        if (++reports >= MIN_REPORTS) {
            charsPerToken = MARGIN * charsReported / tokensReported;
            countAll = false;
        }
    }

    /**
     * The server cut a prompt we had counted as fitting: its tokens are smaller than we think (a
     * small vocabulary spends fewer characters a token). Halve the characters per token and count
     * every prompt exactly where possible until a few reports teach the true ratio; without this,
     * every retry is cut the same way.
     */
    synchronized void promptWasCut() {
        LOG.info("{} cut a prompt we counted as fitting its context: counting its prompts with {} characters a token (was {})"
                + " until it reports their sizes", endpoint, String.format("%.2f", charsPerToken / 2), String.format("%.2f", charsPerToken));
        charsPerToken /= 2;
        charsReported = 0;
        tokensReported = 0;
        reports = 0;
        countAll = true;
    }
}
