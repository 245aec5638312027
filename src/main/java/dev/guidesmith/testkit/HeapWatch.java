package dev.guidesmith.testkit;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Heap use of this JVM from the moment it is made: the peak the JVM saw (its per-pool high-water
 * marks, garbage included), and the highest heap left after a collection (what a run really keeps
 * alive), sampled by {@link #sample()}.
 */
public final class HeapWatch {

    private long peakAfterCollection;

    public HeapWatch() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    public void sample() {
        long afterCollection = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                afterCollection += pool.getCollectionUsage().getUsed();
            }
        }
        peakAfterCollection = Math.max(peakAfterCollection, afterCollection);
    }

    public long peakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    public long peakAfterCollectionBytes() {
        return peakAfterCollection;
    }

    public long maxBytes() {
        return Runtime.getRuntime().maxMemory();
    }
}
