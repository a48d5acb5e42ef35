package dev.spa.runtime;

import java.util.Arrays;
import java.util.Locale;

/**
 * The original and the pruned model timed as the runtime that serves them runs them: one ONNX Runtime
 * session each (provider, intra-op threads and batch stated), both warmed up, then timed in interleaved
 * rounds (original then pruned, pruned then original, in turn) so that drift and noise on the machine fall
 * on both alike. Reported: each model's median, the median of the per-round ratios with its quartiles, and
 * whether the spread is narrow enough to trust: a single figure per model (as before) is noise on a busy node.
 * Only the session's run is timed: the inputs are bound once ({@link OnnxRunner#bindRandom}), since building them
 * in Java is the caller's cost and added a fixed 1.8 ms to both sides of SqueezeNet's 4.4 ms, pulling every ratio
 * toward 1.
 *
 * @param ratio    median over rounds of pruned time / original time (below 1: faster)
 * @param ratioLow first quartile of the per-round ratios; {@code ratioHigh} the third
 */
public record LatencyComparison(String method, int rounds, double beforeMs, double afterMs, double ratio, double ratioLow,
                                double ratioHigh) {
    /** The widest interquartile range of the ratio, relative to it, that is still a measurement rather than noise. */
    public static final double TRUSTED_SPREAD = 0.2;

    /** Times both runners on the same random inputs of {@code batch} samples, bound once; {@code threads} is what both were opened with. */
    public static LatencyComparison measure(OnnxRunner before, OnnxRunner after, String provider, int threads, int batch, int warmup,
                                            int rounds) {
        double[] a = new double[rounds];
        double[] b = new double[rounds];
        double[] ratios = new double[rounds];
        try (OnnxRunner.Bound original = before.bindRandom(batch); OnnxRunner.Bound pruned = after.bindRandom(batch)) {
            for (int i = 0; i < warmup; i++) {
                original.runMillis();
                pruned.runMillis();
            }
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    a[r] = original.runMillis();
                    b[r] = pruned.runMillis();
                } else {
                    b[r] = pruned.runMillis();
                    a[r] = original.runMillis();
                }
                ratios[r] = b[r] / a[r];
            }
        }
        String method = String.format(Locale.ROOT, "ONNX Runtime %s, %d intra-op thread%s, batch %d, %d warm-up runs, %d interleaved rounds",
                provider, threads, threads == 1 ? "" : "s", batch, warmup, rounds);
        return new LatencyComparison(method, rounds, quantile(a, 0.5), quantile(b, 0.5), quantile(ratios, 0.5), quantile(ratios, 0.25),
                quantile(ratios, 0.75));
    }

    private static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int low = (int) Math.floor(position);
        int high = Math.min(sorted.length - 1, low + 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    /** Whether the per-round ratios agree closely enough for the ratio to mean something. */
    public boolean trusted() {
        return (ratioHigh - ratioLow) / ratio <= TRUSTED_SPREAD;
    }

    /** Slower than the original: the ratio's median above 1. */
    public boolean slower() {
        return ratio > 1;
    }

    /** What a user is told: {@link #describe()}, led by a warning when the pruned model measured slower. */
    public String summary() {
        return (slower() ? "SLOWER than the original: " : "") + describe();
    }

    public String describe() {
        return String.format(Locale.ROOT, "pruned/original latency %.2f (quartiles %.2f-%.2f; medians %.3f ms and %.3f ms) by %s%s", ratio,
                ratioLow, ratioHigh, afterMs, beforeMs, method, trusted() ? "" : "; the spread is too wide to trust on this machine now");
    }
}
