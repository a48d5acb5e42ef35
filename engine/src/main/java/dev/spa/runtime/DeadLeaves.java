package dev.spa.runtime;

import java.util.random.RandomGenerator;

/**
 * Synthetic images for data-free jobs, made of occluding discs (the "dead leaves" model): discs of random colour,
 * their radii drawn from a power law (density ∝ r⁻³, from {@link #MIN_RADIUS} pixels to the image's longer side), one
 * behind the other until every pixel is covered; each plane is then scaled to the stated
 * per-channel mean and standard deviation. Colour channels share most of their structure, as a photograph's do.
 *
 * <p>Why: a data-free job's Hessians and its class-balanced draw stand in for the images the model was trained on.
 * What shows is the top disc at each pixel, whose radius is then spread evenly over scales, so the images have flat
 * regions bounded by sharp edges at every scale, as photographs of objects do. Smooth 1/f noise, used before, has the
 * spectrum but no edges, and layers tuned to edges respond to it weakly. Over three draws of the images on the three
 * trained CNNs (BENCHMARKS.md, Quality, *Dead leaves*), OBSPA on dead leaves as built kept 189.7 more points of accuracy
 * over 36 prunes than on 1/f noise (2367.1 -> 2556.8), more on every model.
 */
final class DeadLeaves {
    /** How much of a disc's colour is shared by all channels (the rest is each channel's own). */
    static final double SHARED = 0.9;
    /** Planes smaller than this are too small for discs to mean anything: Gaussian noise instead. */
    static final int MIN_SIDE = 4;
    /**
     * The smallest disc's radius in pixels. Over the same 36 prunes, radii up to half the side: 0.5 (single pixels)
     * 2435.3, 1 2493.7, 2 2563.6, 3 2576.9; up to the side: 2549.9 with 1, 2573.5 with 2 (2 and 3 are a draw's noise apart).
     */
    static final double MIN_RADIUS = 2;

    private DeadLeaves() {
    }

    /** Whether a sample shape is an image: [channels, height, width] with both sides at least MIN_SIDE. */
    static boolean isImage(long[] sampleShape) {
        return sampleShape.length == 3 && sampleShape[1] >= MIN_SIDE && sampleShape[2] >= MIN_SIDE;
    }

    /**
     * One image into {@code out} at {@code offset}, drawn from {@code random}. Discs are laid front to back, each
     * filling only what the ones before it left uncovered, until every pixel is: images of the same distribution as
     * painting back to front over and over, without painting what is never seen (a 224 x 224 image took 34 ms that way).
     */
    static void image(long[] sampleShape, double[] mean, double[] std, RandomGenerator random, float[] out, int offset) {
        int channels = (int) sampleShape[0];
        int h = (int) sampleShape[1];
        int w = (int) sampleShape[2];
        double[][] planes = new double[channels][h * w];
        boolean[] covered = new boolean[h * w];
        double maxRadius = Math.max(h, w); // at least MIN_SIDE, above MIN_RADIUS
        double[] colour = new double[channels];
        double own = Math.sqrt(1 - SHARED * SHARED);
        int uncovered = h * w;
        for (long d = 0; uncovered > 0 && d < 100L * h * w; d++) { // a disc of radius 2 covers any pixel: the bound is never met
            double r = radius(random, maxRadius);
            double cy = random.nextDouble() * h;
            double cx = random.nextDouble() * w;
            double grey = random.nextGaussian();
            for (int c = 0; c < channels; c++) {
                colour[c] = SHARED * grey + own * random.nextGaussian();
            }
            uncovered -= paintBehind(planes, covered, h, w, cy, cx, r, colour);
        }
        for (int c = 0; c < channels; c++) {
            standardised(planes[c], mean[c], std[c], out, offset + c * h * w);
        }
    }

    /** A radius with density ∝ r⁻³ on [MIN_RADIUS, max], by inverting its distribution function. */
    private static double radius(RandomGenerator random, double max) {
        double lo = 1 / (MIN_RADIUS * MIN_RADIUS);
        double hi = 1 / (max * max);
        return 1 / Math.sqrt(lo - random.nextDouble() * (lo - hi));
    }

    /** Paints the disc of centre (cy, cx) and radius r where nothing is yet, each plane in its channel's colour; how many pixels. */
    private static int paintBehind(double[][] planes, boolean[] covered, int h, int w, double cy, double cx, double r, double[] colour) {
        int y0 = Math.max(0, (int) Math.floor(cy - r));
        int y1 = Math.min(h - 1, (int) Math.ceil(cy + r));
        int x0 = Math.max(0, (int) Math.floor(cx - r));
        int x1 = Math.min(w - 1, (int) Math.ceil(cx + r));
        int painted = 0;
        for (int y = y0; y <= y1; y++) {
            double dy = y + 0.5 - cy;
            for (int x = x0; x <= x1; x++) {
                double dx = x + 0.5 - cx;
                int i = y * w + x;
                if (!covered[i] && dx * dx + dy * dy <= r * r) {
                    covered[i] = true;
                    painted++;
                    for (int c = 0; c < planes.length; c++) {
                        planes[c][i] = colour[c];
                    }
                }
            }
        }
        return painted;
    }

    /** The plane shifted and scaled to the given mean and standard deviation, into {@code out} at {@code offset}. */
    private static void standardised(double[] plane, double mean, double std, float[] out, int offset) {
        double sum = 0;
        for (double v : plane) {
            sum += v;
        }
        double m = sum / plane.length;
        double squares = 0;
        for (double v : plane) {
            squares += (v - m) * (v - m);
        }
        double s = Math.sqrt(squares / plane.length);
        for (int i = 0; i < plane.length; i++) {
            out[offset + i] = (float) (mean + std * (s > 0 ? (plane[i] - m) / s : 0));
        }
    }
}
