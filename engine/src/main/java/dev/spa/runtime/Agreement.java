package dev.spa.runtime;

import dev.spa.ir.Model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How closely a pruned model follows its original on the same reference inputs, with no labels:
 * for a classifier (first output [N, C], C > 1) the share of inputs whose top-1 class is the same
 * and the mean cosine of the two logit vectors; for any model the relative output error,
 * ‖y' − y‖ / ‖y‖ over every output, and the variation error ({@link OutputVariation}: how far the way
 * each output varies from input to input is lost, worst output; 1 for an output that no longer
 * depends on its input). {@link #score} is what a quality floor is compared with.
 *
 * @param variationError NaN where no output of the original varies over these inputs
 * @param dominantClass the share of reference inputs the original gives its most frequent class
 */
public record Agreement(int samples, boolean classifier, double top1, double cosine, double relativeError, double variationError,
                        double dominantClass, String reference) {
    private static final int BATCH = 64;
    /**
     * Where the original gives one class to this share of the reference inputs or more (a
     * random-weight model, or a trained one on inputs far from its data), top-1 agreement is all or
     * nothing and says little; the logit cosine is the measure then.
     */
    static final double DEGENERATE = 0.9;

    /** Top-1 agreement for a classifier (logit cosine where top-1 is degenerate); 1 − {@link #outputError} otherwise. */
    public double score() {
        if (!classifier) {
            return Math.max(0, 1 - outputError());
        }
        return degenerate() ? Math.max(0, cosine) : top1;
    }

    /**
     * The larger of the relative output error and the variation error. The relative error alone misses a
     * detector that stopped detecting: its boxes, decoded around fixed anchors, dominate the norm, and a
     * face detector that scores every anchor of every photo the same measured 0.08 (BENCHMARKS.md, detectors).
     */
    public double outputError() {
        return Double.isNaN(variationError) ? relativeError : Math.max(relativeError, variationError);
    }

    public boolean degenerate() {
        return classifier && dominantClass >= DEGENERATE;
    }

    public String measureName() {
        return !classifier ? "1 - output error" : degenerate() ? "logit cosine" : "top-1 agreement";
    }

    public static Agreement measure(Model original, Model pruned, ReferenceInputs reference) {
        return Baseline.of(original, reference).compare(pruned);
    }

    /**
     * The original's outputs on the reference inputs, computed once, so that several pruned models
     * (the steps of an agreement search) are each compared without running the original again.
     */
    public static final class Baseline {
        private final ReferenceInputs reference;
        private final List<ModelOutputs> batches = new ArrayList<>();

        private Baseline(ReferenceInputs reference) {
            this.reference = reference;
        }

        public static Baseline of(Model original, ReferenceInputs reference) {
            Baseline b = new Baseline(new ReferenceInputs(reference.samples().named(original), reference.description()));
            try (OnnxRunner runner = OnnxRunner.of(original, 2)) {
                b.reference.samples().forEachBatch(BATCH, (data, count) -> b.batches.add(runner.run(b.reference.samples().feed(data, count), count)));
            }
            return b;
        }

        /** Bytes of the original's outputs it holds. */
        public long bytes() {
            long floats = 0;
            for (ModelOutputs o : batches) {
                for (float[] v : o.values().values()) {
                    floats += v.length;
                }
            }
            return floats * Float.BYTES;
        }

        public Agreement compare(Model pruned) {
            Tally tally = new Tally();
            int[] batch = {0};
            try (OnnxRunner b = OnnxRunner.of(pruned, 2)) {
                reference.samples().forEachBatch(BATCH, (data, count) ->
                        tally.add(batches.get(batch[0]++), b.run(reference.samples().feed(data, count), count), count));
            }
            return tally.agreement(reference.description());
        }
    }

    /** The agreement of two models' outputs on the same inputs, run by whoever ran them (one batch: {@code verify.Verification}). */
    public static Agreement of(ModelOutputs original, ModelOutputs pruned, int count, String inputs) {
        Tally tally = new Tally();
        tally.add(original, pruned, count);
        return tally.agreement(inputs);
    }

    /** Agreement summed over batches of outputs: top-1 matches, logit cosines, squared differences, classes predicted. */
    private static final class Tally {
        private long agreeing;
        private long samples;
        private final Map<Integer, Integer> predicted = new HashMap<>();
        private final double[] acc = new double[3]; // cosine sum, squared difference, squared reference
        private final Map<String, OutputVariation> variations = new LinkedHashMap<>();
        private boolean classifier;

        void add(ModelOutputs ya, ModelOutputs yb, int count) {
            String first = ya.values().keySet().iterator().next();
            long[] shape = ya.shapes().get(first);
            classifier = shape.length == 2 && shape[1] > 1;
            if (classifier) {
                agreeing += compareClasses(ya.values().get(first), yb.values().get(first), count, (int) shape[1], acc, predicted);
            }
            for (Map.Entry<String, float[]> e : ya.values().entrySet()) {
                float[] x = e.getValue();
                float[] y = yb.values().get(e.getKey());
                for (int i = 0; i < x.length; i++) {
                    double d = y == null || y.length != x.length ? x[i] : y[i] - x[i];
                    acc[1] += d * d;
                    acc[2] += (double) x[i] * x[i];
                }
                if (x.length % count == 0) {
                    variations.computeIfAbsent(e.getKey(), k -> new OutputVariation(x.length / count)).add(x, y, count);
                }
            }
            samples += count;
        }

        Agreement agreement(String reference) {
            int n = (int) samples;
            double relative = acc[2] == 0 ? Math.sqrt(acc[1]) : Math.sqrt(acc[1] / acc[2]);
            double variation = variations.values().stream().mapToDouble(OutputVariation::error).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
            double dominant = predicted.values().stream().mapToInt(Integer::intValue).max().orElse(0) / (double) Math.max(1, n);
            return new Agreement(n, classifier, classifier ? (double) agreeing / n : Double.NaN,
                    classifier ? acc[0] / n : Double.NaN, relative, variation, dominant, reference);
        }
    }

    /** @return how many of the {@code count} samples have the same top-1 class */
    private static long compareClasses(float[] x, float[] y, int count, int classes, double[] acc, Map<Integer, Integer> predicted) {
        long agreeing = 0;
        for (int s = 0; s < count; s++) {
            int base = s * classes;
            int original = Accuracy.argmax(x, base, classes);
            predicted.merge(original, 1, Integer::sum);
            if (original == Accuracy.argmax(y, base, classes)) {
                agreeing++;
            }
            double dot = 0;
            double nx = 0;
            double ny = 0;
            for (int c = 0; c < classes; c++) {
                dot += (double) x[base + c] * y[base + c];
                nx += (double) x[base + c] * x[base + c];
                ny += (double) y[base + c] * y[base + c];
            }
            // two all-zero logit vectors are the same output (a head initialised to zero, as torchvision's ViT's is)
            acc[0] += nx == 0 && ny == 0 ? 1 : nx == 0 || ny == 0 ? 0 : dot / Math.sqrt(nx * ny);
        }
        return agreeing;
    }

    public String describe() {
        String what = classifier
                ? String.format(Locale.ROOT, "top-1 agreement %.1f%%, logit cosine %.3f, relative output error %.3f", 100 * top1, cosine, relativeError)
                : String.format(Locale.ROOT, "relative output error %.3f, variation error %s", relativeError,
                        Double.isNaN(variationError) ? "not measured (no output of the original varies)" : String.format(Locale.ROOT, "%.3f", variationError));
        if (degenerate()) {
            what += String.format(Locale.ROOT, " (the original gives one class to %.0f%% of these inputs, so the logit cosine is the measure)",
                    100 * dominantClass);
        }
        return what + " on " + samples + " " + reference;
    }
}
