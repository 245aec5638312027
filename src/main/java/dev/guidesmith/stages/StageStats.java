package dev.guidesmith.stages;

import dev.guidesmith.llm.ModelReply;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per stage: how its results came about (a model call, the cache, the input) and what the model
 * calls cost in tokens and time.
 */
public final class StageStats {

    private final Map<String, Counters> stages = new ConcurrentHashMap<>();

    public void modelCall(String stage, ModelReply reply) {
        Counters counters = of(stage);
        counters.modelCalls.incrementAndGet();
        counters.promptTokens.addAndGet(reply.promptTokens());
        counters.cachedTokens.addAndGet(reply.cachedTokens());
        counters.outputTokens.addAndGet(reply.outputTokens());
        counters.millis.addAndGet(reply.elapsedMillis());
    }

    public void cacheHit(String stage) {
        of(stage).cacheHits.incrementAndGet();
    }

    public void fromInput(String stage) {
        of(stage).fromInput.incrementAndGet();
    }

    public Counters of(String stage) {
        return stages.computeIfAbsent(stage, s -> new Counters());
    }

    public Map<String, Counters> all() {
        return Map.copyOf(stages);
    }

    /** Live counters of one stage. */
    public static final class Counters {
        final AtomicLong modelCalls = new AtomicLong();
        final AtomicLong cacheHits = new AtomicLong();
        final AtomicLong fromInput = new AtomicLong();
        final AtomicLong promptTokens = new AtomicLong();
        final AtomicLong cachedTokens = new AtomicLong();
        final AtomicLong outputTokens = new AtomicLong();
        final AtomicLong millis = new AtomicLong();

        public long modelCalls() {
            return modelCalls.get();
        }

        public long cacheHits() {
            return cacheHits.get();
        }

        public long fromInput() {
            return fromInput.get();
        }

        public long promptTokens() {
            return promptTokens.get();
        }

        /** Prompt tokens the servers reported taking from their prompt caches. */
        public long cachedTokens() {
            return cachedTokens.get();
        }

        public long outputTokens() {
            return outputTokens.get();
        }

        /** Time spent in this stage's model calls, summed over calls. */
        public long millis() {
            return millis.get();
        }
    }
}
