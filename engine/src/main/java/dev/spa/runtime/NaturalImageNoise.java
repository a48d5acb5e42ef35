package dev.spa.runtime;

import java.util.random.RandomGenerator;

/**
 * Synthetic inputs shaped like photographs rather than like static: each plane is a sum of white noise
 * grids at every octave (1, 2, 4, ... pixels per cell, bilinearly interpolated), equally weighted, which
 * gives the 1/f amplitude spectrum natural images have; colour channels share most of their structure
 * (a common field plus a smaller one of their own), as the channels of a photograph do. Each plane is
 * then scaled to the stated per-channel mean and standard deviation.
 *
 * <p>Why: a data-free job's Hessians and reference inputs stand in for the images the model was trained
 * on. White noise has no spatial structure, so a convolution's input covariance from it is diagonal and
 * layers tuned to edges and textures see nothing they respond to; smooth, correlated noise is far
 * closer (BENCHMARKS.md, quality: OBSPA on it against Gaussian noise on the trained models).
 */
final class NaturalImageNoise {
    /** How much of each colour channel is the shared field (the rest is the channel's own). */
    static final double SHARED = 0.9;
    /** Planes smaller than this are too small for a spectrum to mean anything: Gaussian noise instead. */
    static final int MIN_SIDE = 4;

    private NaturalImageNoise() {
    }

    /** Whether a sample shape is an image: [channels, height, width] with both sides at least MIN_SIDE. */
    static boolean isImage(long[] sampleShape) {
        return sampleShape.length == 3 && sampleShape[1] >= MIN_SIDE && sampleShape[2] >= MIN_SIDE;
    }

    /** One image into {@code out} at {@code offset}, drawn from {@code random}. */
    static void image(long[] sampleShape, double[] mean, double[] std, RandomGenerator random, float[] out, int offset) {
        int channels = (int) sampleShape[0];
        int h = (int) sampleShape[1];
        int w = (int) sampleShape[2];
        int plane = h * w;
        double own = Math.sqrt(1 - SHARED * SHARED);
        double[] common = standardised(octaves(h, w, random));
        for (int c = 0; c < channels; c++) {
            double[] mine = channels == 1 ? null : standardised(octaves(h, w, random));
            int base = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                double z = mine == null ? common[i] : SHARED * common[i] + own * mine[i];
                out[base + i] = (float) (mean[c] + std[c] * z);
            }
        }
    }

    /**
     * White noise grids at cells of 1, 2, 4, ... pixels up to the image's side, interpolated and summed.
     * Each grid row is interpolated along x once and the rows then blended along y (the same products
     * in the same order as interpolating each pixel from its four corners, so the same values, at half
     * the work); at a cell of one pixel every pixel sits on a grid point and takes it as it is.
     */
    private static double[] octaves(int h, int w, RandomGenerator random) {
        double[] field = new double[h * w];
        for (int cell = 1; cell <= Math.max(h, w); cell *= 2) {
            int gh = h / cell + 2;
            int gw = w / cell + 2;
            double[] grid = new double[gh * gw];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = random.nextGaussian();
            }
            if (cell == 1) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        field[y * w + x] += grid[y * gw + x];
                    }
                }
            } else {
                addInterpolated(grid, gw, cell, h, w, field);
            }
        }
        return field;
    }

    /** Adds the grid (cells of {@code cell} pixels, {@code gw} points a row) bilinearly interpolated to h x w. */
    private static void addInterpolated(double[] grid, int gw, int cell, int h, int w, double[] field) {
        int[] x0 = new int[w];
        double[] fx = new double[w];
        for (int x = 0; x < w; x++) {
            double gx = (double) x / cell;
            x0[x] = (int) gx;
            fx[x] = gx - x0[x];
        }
        int rowsUsed = (h - 1) / cell + 2;
        double[] rows = new double[rowsUsed * w];
        for (int r = 0; r < rowsUsed; r++) {
            int g = r * gw;
            for (int x = 0; x < w; x++) {
                rows[r * w + x] = grid[g + x0[x]] * (1 - fx[x]) + grid[g + x0[x] + 1] * fx[x];
            }
        }
        for (int y = 0; y < h; y++) {
            double gy = (double) y / cell;
            int y0 = (int) gy;
            double fy = gy - y0;
            int top = y0 * w;
            int bottom = top + w;
            int out = y * w;
            for (int x = 0; x < w; x++) {
                field[out + x] += rows[top + x] * (1 - fy) + rows[bottom + x] * fy;
            }
        }
    }

    /** The field shifted and scaled to mean 0 and standard deviation 1 over the plane. */
    private static double[] standardised(double[] field) {
        double sum = 0;
        for (double v : field) {
            sum += v;
        }
        double mean = sum / field.length;
        double squares = 0;
        for (double v : field) {
            squares += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(squares / field.length);
        for (int i = 0; i < field.length; i++) {
            field[i] = std > 0 ? (field[i] - mean) / std : 0;
        }
        return field;
    }
}
