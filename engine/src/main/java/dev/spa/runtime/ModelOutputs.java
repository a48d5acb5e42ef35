package dev.spa.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/** Named float outputs of one run, with their shapes. */
public record ModelOutputs(Map<String, float[]> values, Map<String, long[]> shapes) {
    public ModelOutputs {
        values = new LinkedHashMap<>(values);
        shapes = new LinkedHashMap<>(shapes);
    }

    /** Largest |a - b| over all outputs divided by the largest |a| (0 when both are all zero). */
    public double relativeError(ModelOutputs other) {
        double maxDiff = 0;
        double maxRef = 0;
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            float[] a = e.getValue();
            float[] b = other.values.get(e.getKey());
            if (b == null || b.length != a.length) {
                return Double.POSITIVE_INFINITY;
            }
            for (int i = 0; i < a.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
                maxRef = Math.max(maxRef, Math.abs(a[i]));
            }
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }
}
