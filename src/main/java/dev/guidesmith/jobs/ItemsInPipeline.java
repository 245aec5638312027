package dev.guidesmith.jobs;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The items this node admitted and has not settled, with the stage each is at: in memory in every
 * item store, since after a crash they are simply not settled and run again.
 */
public final class ItemsInPipeline {

    private final Map<Key, String> stages = new ConcurrentHashMap<>();

    private record Key(String job, long position) {
        static Key of(ItemRef item) {
            return new Key(item.job(), item.position());
        }
    }

    public void admit(ItemRef item) {
        stages.put(Key.of(item), item.stage());
    }

    /** Moves an admitted item on; one not admitted here stays unknown. */
    public void advance(ItemRef item, String stage) {
        stages.replace(Key.of(item), stage);
    }

    /** @return whether the item had been admitted here */
    public boolean leave(ItemRef item) {
        return stages.remove(Key.of(item)) != null;
    }

    /** How many items are at each stage. */
    public Map<String, Integer> byStage() {
        Map<String, Integer> counts = new TreeMap<>();
        stages.values().forEach(stage -> counts.merge(stage, 1, Integer::sum));
        return counts;
    }
}
