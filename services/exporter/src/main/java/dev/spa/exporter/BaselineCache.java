package dev.spa.exporter;

import dev.spa.ir.Model;
import dev.spa.runtime.Agreement;
import dev.spa.runtime.ReferenceInputs;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The originals' outputs on their synthetic reference inputs, kept for the next job on the same model. Every job on
 * a model compares its pruned model with the same original on the same seeded inputs, so running the original on
 * them (half of the quality check, a second or two for a 224x224 CNN on two cores) needs doing once per model and
 * input statistics, not once per job. Keyed by the model's content digest and the reference's description (which
 * names the statistics); bounded in bytes, the least recently used going first. Calibration references are the job's
 * own samples and are never kept.
 */
final class BaselineCache {
    private final long capacityBytes;
    private final Map<String, Agreement.Baseline> kept = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    BaselineCache(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** The original's outputs on these synthetic inputs: kept ones, or computed now (and kept if they fit). */
    Agreement.Baseline of(Model original, ReferenceInputs synthetic) {
        String key = original.sha256() + " " + synthetic.description();
        synchronized (this) {
            Agreement.Baseline b = kept.get(key);
            if (b != null) {
                return b;
            }
        }
        Agreement.Baseline computed = Agreement.Baseline.of(original, synthetic); // outside the lock: jobs on other models go on
        keep(key, computed);
        return computed;
    }

    private synchronized void keep(String key, Agreement.Baseline baseline) {
        long size = baseline.bytes();
        if (size > capacityBytes || kept.containsKey(key)) {
            return;
        }
        Iterator<Agreement.Baseline> oldest = kept.values().iterator();
        while (bytes + size > capacityBytes && oldest.hasNext()) {
            bytes -= oldest.next().bytes();
            oldest.remove();
        }
        kept.put(key, baseline);
        bytes += size;
    }

    synchronized long bytes() {
        return bytes;
    }
}
