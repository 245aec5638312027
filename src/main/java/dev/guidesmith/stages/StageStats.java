package dev.guidesmith.stages;

import dev.guidesmith.llm.ModelReply;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per stage: how its results came about (a model call, the cache, the input), how often it was
 * asked again to repair a result, and what the model calls (repairs included) cost in tokens and
 * time.
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

    /** The stage was asked again because a check failed on its result. */
    public void repairCall(String stage, int promptTokens, int outputTokens, long millis) {
        Counters counters = of(stage);
        counters.repairCalls.incrementAndGet();
        counters.promptTokens.addAndGet(promptTokens);
        counters.outputTokens.addAndGet(outputTokens);
        counters.millis.addAndGet(millis);
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
        final AtomicLong repairCalls = new AtomicLong();
        final AtomicLong cacheHits = new AtomicLong();
        final AtomicLong fromInput = new AtomicLong();
        final AtomicLong promptTokens = new AtomicLong();
        final AtomicLong cachedTokens = new AtomicLong();
        final AtomicLong outputTokens = new AtomicLong();
        final AtomicLong millis = new AtomicLong();

        public long modelCalls() {
            return modelCalls.get();
        }

        /** Calls that asked the stage again to mend a result a check found wrong (not in {@link #modelCalls()}). */
        public long repairCalls() {
            return repairCalls.get();
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
