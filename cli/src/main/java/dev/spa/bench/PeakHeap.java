package dev.spa.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * The heap a step peaks at: after a GC, the heap pools' peaks are reset, and afterwards their peaks summed
 * (an upper bound: the pools need not peak at once, and garbage not yet collected counts).
 */
final class PeakHeap {
    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();

    static PeakHeap start() {
        System.gc();
        PeakHeap p = new PeakHeap();
        p.pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        return p;
    }

    long megabytes() {
        return pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
    }
}
