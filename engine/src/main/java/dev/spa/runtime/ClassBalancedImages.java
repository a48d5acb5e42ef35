package dev.spa.runtime;

import dev.spa.ir.Model;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;

/**
 * Synthetic images a classifier tells apart. Natural-image noise drawn at random mostly lands in a few of the model's
 * classes (the MNIST CNN files 2113 of 8192 such images under "2" and 78 under "9"), so a capture from it measures
 * the layers on the inputs of a few classes. Here {@link #POOL_FACTOR} times the images wanted are drawn, the model is
 * run on them, and the images are taken class by class in turn, for each class the one not yet taken that the model
 * gives the highest probability of it: every class is represented as far as the pool allows. Over three draws of
 * the images, OBSPA on these instead of on the first images drawn kept 0.8 to 1.5 points more of each of the three
 * trained CNNs' accuracy, on average over its four cuts (BENCHMARKS.md, Quality, *Class-balanced images*).
 *
 * <p>Only where the model is an image classifier (one image input, a first output of [N, classes]) and running the
 * pool costs at most {@link #BUDGET} multiply-accumulates and the images taken at most {@link #MAX_BYTES}; elsewhere
 * the images are drawn as before, and {@link Drawn#note} says why.
 */
public final class ClassBalancedImages {
    /** Images drawn for every one taken: twice kept what four times gave (BENCHMARKS.md) at half the cost. */
    public static final int POOL_FACTOR = 2;
    /** Multiply-accumulates running the pool may cost (about a second on a 2-core machine). */
    public static final double BUDGET = 16e9;
    /** Bytes the images taken may hold (they are kept in memory; a plain draw is made again on every pass). */
    public static final long MAX_BYTES = 64L << 20;
    private static final int BATCH = 64;

    private ClassBalancedImages() {
    }

    /** The samples and what a report says of how they were drawn. */
    public record Drawn(SampleBatches samples, String note) {
    }

    /**
     * @param count      images wanted
     * @param modelMacs  the model's multiply-accumulates a sample
     */
    public static Drawn draw(Model model, int count, InputStatistics stats, long seed, double modelMacs) {
        InputLayout layout = InputLayout.of(model);
        SampleBatches plain = SampleBatches.synthetic(layout, count, stats, seed, true);
        long[] shape = layout.singleFloatShape();
        if (shape == null || !DeadLeaves.isImage(shape)) {
            return new Drawn(plain, "");
        }
        double poolMacs = (double) POOL_FACTOR * count * modelMacs;
        long bytes = (long) count * layout.sampleSize() * Float.BYTES;
        if (poolMacs > BUDGET || bytes > MAX_BYTES) {
            return new Drawn(plain, String.format(Locale.ROOT, "; not class-balanced (a pool of %d images would cost %.1f GMAC and"
                    + " keep %.0f MB, over %.0f GMAC or %d MB)", POOL_FACTOR * count, poolMacs / 1e9, bytes / 1e6, BUDGET / 1e9, MAX_BYTES >> 20));
        }
        int size = layout.sampleSize();
        float[][] probabilities;
        SampleBatches pool;
        try (OnnxRunner runner = OnnxRunner.of(model, 2)) {
            int classes = classes(runner, SampleBatches.synthetic(layout, 1, stats, seed, true).named(model));
            if (classes < 2) {
                return new Drawn(plain, "; not class-balanced (the model's first output is not [N, classes])");
            }
            pool = SampleBatches.synthetic(layout, POOL_FACTOR * count, stats, seed, true);
            if (POOL_FACTOR * bytes <= MAX_BYTES) {
                pool = SampleBatches.inMemory(values(pool), layout); // drawn once, not again to take the chosen
            }
            probabilities = probabilities(runner, pool.named(model), classes);
        }
        boolean[] chosen = taken(probabilities, count);
        float[] data = new float[count * size];
        int[] at = {0}; // the pooled sample's index
        int[] placed = {0}; // samples taken so far, in the pool's order
        pool.forEachBatch(BATCH, (batch, n) -> {
            for (int k = 0; k < n; k++) {
                if (chosen[at[0]++]) {
                    System.arraycopy(batch, k * size, data, placed[0]++ * size, size);
                }
            }
        });
        return new Drawn(SampleBatches.inMemory(data, layout), String.format(Locale.ROOT,
                ", class-balanced: of %d drawn, for each of the model's %d classes in turn the one it scores highest for that class",
                POOL_FACTOR * count, probabilities[0].length));
    }

    /** How many classes the model's first output gives a sample, or 0 where it is not [N, classes]. */
    private static int classes(OnnxRunner runner, SampleBatches one) {
        int[] classes = {0};
        one.forEachBatch(1, (batch, n) -> {
            ModelOutputs o = runner.run(one.feed(batch, n), n);
            long[] shape = o.shapes().get(o.values().keySet().iterator().next());
            classes[0] = shape.length == 2 ? (int) shape[1] : 0;
        });
        return classes[0];
    }

    private static float[] values(SampleBatches samples) {
        float[] all = new float[samples.samples() * samples.layout().sampleSize()];
        int[] at = {0};
        samples.forEachBatch(BATCH, (batch, n) -> {
            System.arraycopy(batch, 0, all, at[0], batch.length);
            at[0] += batch.length;
        });
        return all;
    }

    /** Softmax of the first output for every pooled sample. */
    private static float[][] probabilities(OnnxRunner runner, SampleBatches pool, int classes) {
        float[][] out = new float[pool.samples()][];
        int[] at = {0};
        pool.forEachBatch(BATCH, (batch, n) -> {
            ModelOutputs o = runner.run(pool.feed(batch, n), n);
            float[] logits = o.values().values().iterator().next();
            for (int k = 0; k < n; k++) {
                out[at[0]++] = softmax(logits, k * classes, classes);
            }
        });
        return out;
    }

    private static float[] softmax(float[] logits, int offset, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logits[offset + c]);
        }
        double sum = 0;
        float[] p = new float[classes];
        for (int c = 0; c < classes; c++) {
            p[c] = (float) Math.exp(logits[offset + c] - max);
            sum += p[c];
        }
        for (int c = 0; c < classes; c++) {
            p[c] /= (float) sum;
        }
        return p;
    }

    /** Which pooled samples are taken: classes in turn, each its most probable sample not yet taken. */
    static boolean[] taken(float[][] probabilities, int count) {
        int pool = probabilities.length;
        int classes = probabilities[0].length;
        Integer[][] order = new Integer[classes][];
        for (int c = 0; c < classes; c++) {
            int cls = c;
            order[c] = new Integer[pool];
            for (int i = 0; i < pool; i++) {
                order[c][i] = i;
            }
            Arrays.sort(order[c], Comparator.comparingDouble((Integer i) -> -probabilities[i][cls]).thenComparingInt(i -> i));
        }
        boolean[] taken = new boolean[pool];
        int[] next = new int[classes];
        for (int t = 0; t < Math.min(count, pool); t++) {
            int c = t % classes;
            while (taken[order[c][next[c]]]) {
                next[c]++;
            }
            taken[order[c][next[c]]] = true;
        }
        return taken;
    }
}
