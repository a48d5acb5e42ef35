package dev.spa.obspa;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The tiled Gram equals the dot product of every pair of rows, for tiles that fit and rows that do not. */
class ColumnGramTest {
    @Test
    void equalsThePairwiseDotProductsForAnyNumberOfColumns() {
        Random random = new Random(7);
        int outputs = 37; // not a multiple of the dot product's 4-way unrolling
        int rows = 60;
        float[] wT = new float[rows * outputs];
        for (int i = 0; i < wT.length; i++) {
            wT[i] = (float) random.nextGaussian();
        }
        for (int k : new int[] {1, 2, 3, 4, 5, 9, 10, 25}) {
            // scattered, unordered rows: a channel's columns need not be adjacent
            int[] q = IntStream.range(0, k).map(i -> (i * 7 + 3) % rows).toArray();
            double[] g = ColumnGram.of(wT, outputs, q);
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    double expected = 0;
                    for (int o = 0; o < outputs; o++) {
                        expected += (double) wT[q[a] * outputs + o] * wT[q[b] * outputs + o];
                    }
                    assertEquals(expected, g[a * k + b], 1e-9 * Math.max(1, Math.abs(expected)), "k=" + k + " G[" + a + "][" + b + "]");
                }
            }
        }
    }
}
