package dev.spa.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Synthetic images for data-free jobs: the stated statistics, flat regions with sharp edges, correlated colours. */
class DeadLeavesTest {
    private static final InputStatistics STATED = InputStatistics.stated("1,-3,0", "0.5,2,1");

    private static float[] all(SampleBatches s) {
        float[][] out = new float[1][];
        s.forEachBatch(s.samples(), (data, count) -> out[0] = data.clone());
        return out[0];
    }

    /** Pearson correlation of the values at first[k] with those at second[k]. */
    private static double correlation(float[] data, int[] first, int[] second) {
        double sa = 0;
        double sb = 0;
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        int n = first.length;
        for (int k = 0; k < n; k++) {
            double a = data[first[k]];
            double b = data[second[k]];
            sa += a;
            sb += b;
            saa += a * a;
            sbb += b * b;
            sab += a * b;
        }
        double cov = sab / n - sa / n * sb / n;
        return cov / Math.sqrt((saa / n - sa / n * sa / n) * (sbb / n - sb / n * sb / n));
    }

    /** Index pairs of horizontally neighbouring pixels in channel c, over every sample. */
    private static int[][] neighbours(int samples, int channels, int h, int w, int c) {
        int count = samples * h * (w - 1);
        int[][] pairs = new int[2][count];
        int k = 0;
        for (int s = 0; s < samples; s++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x + 1 < w; x++) {
                    int at = ((s * channels + c) * h + y) * w + x;
                    pairs[0][k] = at;
                    pairs[1][k++] = at + 1;
                }
            }
        }
        return pairs;
    }

    /** The share of the pairs whose two values are equal. */
    private static double equalShare(float[] data, int[][] pairs) {
        int equal = 0;
        for (int k = 0; k < pairs[0].length; k++) {
            equal += data[pairs[0][k]] == data[pairs[1][k]] ? 1 : 0;
        }
        return (double) equal / pairs[0].length;
    }

    @Test
    void imagesHaveTheStatedStatisticsPerChannel() {
        float[] data = all(SampleBatches.synthetic(new long[] {3, 32, 32}, 100, STATED, 3));
        double[] mean = {1, -3, 0};
        double[] std = {0.5, 2, 1};
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double squares = 0;
            for (int s = 0; s < 100; s++) {
                for (int i = 0; i < 1024; i++) {
                    double v = data[(s * 3 + c) * 1024 + i];
                    sum += v;
                    squares += v * v;
                }
            }
            double n = 100 * 1024;
            assertEquals(mean[c], sum / n, 1e-3, "channel " + c + " mean");
            assertEquals(std[c], Math.sqrt(squares / n - (sum / n) * (sum / n)), 0.01 * std[c], "channel " + c + " std");
        }
    }

    @Test
    void imagesAreFlatRegionsWithEdgesAndColoursMoveTogether() {
        float[] images = all(SampleBatches.synthetic(new long[] {3, 32, 32}, 50, STATED, 3));
        int[][] pairs = neighbours(50, 3, 32, 32, 1);
        double neighbours = correlation(images, pairs[0], pairs[1]);
        assertTrue(neighbours > 0.5, "neighbouring pixels correlate " + neighbours);
        // inside a disc two neighbours are the same colour, across an edge they are not: smooth noise has no equal pairs
        double flat = equalShare(images, pairs);
        assertTrue(flat > 0.5 && flat < 0.95, "neighbours of one colour " + flat);

        float[] white = all(SampleBatches.gaussian(new long[] {3, 32, 32}, 50, STATED, 3));
        assertEquals(0, correlation(white, pairs[0], pairs[1]), 0.05, "white noise has no spatial structure");
        assertEquals(0, equalShare(white, pairs), 1e-3, "nor flat regions");

        int[] red = new int[50 * 1024];
        int[] green = new int[50 * 1024];
        for (int s = 0; s < 50; s++) {
            for (int i = 0; i < 1024; i++) {
                red[s * 1024 + i] = (s * 3) * 1024 + i;
                green[s * 1024 + i] = (s * 3 + 1) * 1024 + i;
            }
        }
        double colours = correlation(images, red, green);
        assertEquals(DeadLeaves.SHARED * DeadLeaves.SHARED, colours, 0.1, "colour channels share their structure");
    }

    @Test
    void sampleShapesThatAreNotImagesGetGaussianNoiseAndTheSameSeedTheSameSamples() {
        long[] vector = {3, 40};
        assertArrayEquals(all(SampleBatches.gaussian(vector, 10, STATED, 5)), all(SampleBatches.synthetic(vector, 10, STATED, 5)));
        assertEquals("Gaussian noise", SampleBatches.describeSynthetic(vector));
        assertTrue(SampleBatches.describeSynthetic(new long[] {1, 28, 28}).contains("dead-leaves"));
        InputStatistics grey = InputStatistics.stated("0.3", "0.4");
        assertArrayEquals(all(SampleBatches.synthetic(new long[] {1, 8, 8}, 4, grey, 9)),
                all(SampleBatches.synthetic(new long[] {1, 8, 8}, 4, grey, 9)));
    }
}
