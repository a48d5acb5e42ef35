package dev.spa.obspa;

import dev.spa.ir.Graph;
import dev.spa.ir.Model;
import dev.spa.ir.Node;
import dev.spa.linalg.CpuLinalg;
import dev.spa.linalg.Linalg;
import dev.spa.linalg.Transpose;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.runtime.ModelOutputs;
import dev.spa.runtime.OnnxRunner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OBSPA's algebra on one small Gemm and one small Conv: compensation beats plain removal and equals
 * the direct least-squares solution; streamed Hessians equal all-at-once ones; singular H is handled.
 */
class ObsSolverTest {
    private final Linalg linalg = new CpuLinalg();

    /** Rows with correlated features (so other columns can stand in for removed ones), plus a constant 1. */
    private static float[] correlatedRows(int rows, int features, long seed) {
        Random r = new Random(seed);
        float[] mix = new float[features * features];
        for (int i = 0; i < mix.length; i++) {
            mix[i] = (float) r.nextGaussian();
        }
        float[] x = new float[rows * (features + 1)];
        for (int i = 0; i < rows; i++) {
            double[] z = new double[features];
            for (int j = 0; j < features; j++) {
                z[j] = r.nextGaussian();
            }
            for (int j = 0; j < features; j++) {
                double v = 0.5;
                for (int t = 0; t < features; t++) {
                    v += mix[j * features + t] * z[t] * (t < 3 ? 1 : 0.3);
                }
                x[i * (features + 1) + j] = (float) v;
            }
            x[i * (features + 1) + features] = 1f;
        }
        return x;
    }

    /** Σ over rows of |(W - W') x|². */
    private static double outputError(float[] w, float[] w2, int outputs, int n, float[] x, int rows) {
        double e = 0;
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outputs; o++) {
                double d = 0;
                for (int i = 0; i < n; i++) {
                    d += (double) (w[o * n + i] - w2[o * n + i]) * x[r * n + i];
                }
                e += d * d;
            }
        }
        return e;
    }

    /** Least squares in double: W'_K = W H_{:,K} (H_KK)⁻¹, removed columns zero. */
    private static double[] leastSquares(float[] w, int outputs, int n, float[] h, int[] removed) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final int c = i;
            if (Arrays.stream(removed).noneMatch(q -> q == c)) {
                kept.add(i);
            }
        }
        int k = kept.size();
        double[] out = new double[outputs * n];
        for (int o = 0; o < outputs; o++) {
            double[][] a = new double[k][k + 1];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    a[i][j] = h[kept.get(i) * n + kept.get(j)];
                }
                double rhs = 0;
                for (int t = 0; t < n; t++) {
                    rhs += (double) w[o * n + t] * h[t * n + kept.get(i)];
                }
                a[i][k] = rhs;
            }
            double[] z = gauss(a, k);
            for (int i = 0; i < k; i++) {
                out[o * n + kept.get(i)] = z[i];
            }
        }
        return out;
    }

    private static double[] gauss(double[][] a, int k) {
        for (int p = 0; p < k; p++) {
            int best = p;
            for (int i = p + 1; i < k; i++) {
                if (Math.abs(a[i][p]) > Math.abs(a[best][p])) {
                    best = i;
                }
            }
            double[] tmp = a[p];
            a[p] = a[best];
            a[best] = tmp;
            for (int i = p + 1; i < k; i++) {
                double f = a[i][p] / a[p][p];
                for (int j = p; j <= k; j++) {
                    a[i][j] -= f * a[p][j];
                }
            }
        }
        double[] z = new double[k];
        for (int i = k - 1; i >= 0; i--) {
            double v = a[i][k];
            for (int j = i + 1; j < k; j++) {
                v -= a[i][j] * z[j];
            }
            z[i] = v / a[i][i];
        }
        return z;
    }

    private void checkCompensation(float[] w, int outputs, int n, float[] x, int rows, int[] removed) {
        float[] h = new float[n * n];
        linalg.accumulateGram(h, n, x, rows);
        ObsSolver solver = new ObsSolver(linalg, 0);
        ObsSolver.Inverse inv = solver.invert(h, n);
        assertFalse(inv.diagonalFallback());
        float[] plain = w.clone();
        for (int o = 0; o < outputs; o++) {
            for (int q : removed) {
                plain[o * n + q] = 0f;
            }
        }
        float[] compensated = w.clone();
        assertTrue(solver.compensate(compensated, outputs, n, inv.matrix(), removed));
        double plainError = outputError(w, plain, outputs, n, x, rows);
        double obsError = outputError(w, compensated, outputs, n, x, rows);
        assertTrue(obsError < plainError, "compensated " + obsError + " vs plain removal " + plainError);
        double loss = solver.losses(w, outputs, n, inv.matrix(), new int[][] {removed})[0];
        assertEquals(0.5 * obsError, loss, 1e-3 * obsError, "the OBS loss is half the output error left after compensation");
        double[] ls = leastSquares(w, outputs, n, h, removed);
        double num = 0;
        double den = 0;
        for (int i = 0; i < ls.length; i++) {
            num += (compensated[i] - ls[i]) * (compensated[i] - ls[i]);
            den += ls[i] * ls[i];
        }
        assertTrue(Math.sqrt(num / den) < 1e-3, "OBS update vs least squares: relative difference " + Math.sqrt(num / den));
        float[] lsFloat = new float[ls.length];
        for (int i = 0; i < ls.length; i++) {
            lsFloat[i] = (float) ls[i];
        }
        assertEquals(outputError(w, lsFloat, outputs, n, x, rows), obsError, 1e-3 * plainError, "same output error as least squares");
    }

    @Test
    void gemmCompensationBeatsPlainRemovalAndEqualsLeastSquares() {
        Model m = new GraphBuilder().input("x", -1, 10).output("y").weight("W", 6, 10).weight("B", 6)
                .opAttrs("Gemm", "y", new String[] {"x", "W", "B"}, "transB", 1L).model();
        Graph g = m.graph();
        LinearLayer layer = LinearLayer.of(g, g.nodes().get(0));
        assertEquals(11, layer.hessianColumns(), "10 features and the bias column");
        int rows = 300;
        float[] x = correlatedRows(rows, 10, 3);
        checkCompensation(layer.matrix(g), 6, 11, x, rows, new int[] {2, 5, 7});
    }

    @Test
    void convCompensationBeatsPlainRemovalAndEqualsLeastSquares() {
        Model m = new GraphBuilder().input("x", -1, 3, 6, 6).output("y").weight("W", 4, 3, 3, 3).weight("B", 4)
                .opAttrs("Conv", "y", new String[] {"x", "W", "B"}, "pads", new long[] {1, 1, 1, 1}).model();
        Graph g = m.graph();
        Node conv = g.nodes().get(0);
        LinearLayer layer = LinearLayer.of(g, conv);
        assertEquals(28, layer.hessianColumns());
        // correlated input channels: channel 2 is mostly channel 0
        Random r = new Random(5);
        int batch = 3;
        float[] input = new float[batch * 3 * 36];
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < 36; p++) {
                float a = (float) r.nextGaussian();
                input[(b * 3) * 36 + p] = a;
                input[(b * 3 + 1) * 36 + p] = (float) r.nextGaussian();
                input[(b * 3 + 2) * 36 + p] = 0.9f * a + 0.1f * (float) r.nextGaussian();
            }
        }
        long[] shape = {batch, 3, 6, 6};
        List<float[]> chunks = new ArrayList<>();
        Unfold.rows(layer, input, shape, (rows, count) -> chunks.add(Arrays.copyOf(rows, count * 28)));
        float[] x = chunks.get(0);
        int rows = x.length / 28;
        assertEquals(batch * 36, rows);
        float[] w = layer.matrix(g);
        // the unfolded patches times W are what ONNX Runtime's Conv computes
        try (OnnxRunner runner = new OnnxRunner(m.toBytes(), 1)) {
            ModelOutputs out = runner.run(Map.of("x", input), batch);
            float[] y = out.values().get("y");
            for (int row = 0; row < rows; row++) {
                int b = row / 36;
                int p = row % 36;
                for (int o = 0; o < 4; o++) {
                    double v = 0;
                    for (int i = 0; i < 28; i++) {
                        v += (double) w[o * 28 + i] * x[row * 28 + i];
                    }
                    assertEquals(y[(b * 4 + o) * 36 + p], v, 1e-4);
                }
            }
        }
        int[] channel2 = {18, 19, 20, 21, 22, 23, 24, 25, 26};
        checkCompensation(w, 4, 28, x, rows, channel2);
    }

    @Test
    void streamedHessianEqualsAllAtOnce() {
        int n = 7;
        float[] x = correlatedRows(500, n - 1, 9);
        GramHessian once = new GramHessian(n);
        once.add(linalg, x, 500);
        GramHessian streamed = new GramHessian(n);
        for (int r0 = 0; r0 < 500; r0 += 64) {
            int count = Math.min(64, 500 - r0);
            streamed.add(linalg, Arrays.copyOfRange(x, r0 * n, (r0 + count) * n), count);
        }
        assertEquals(once.rows(), streamed.rows());
        for (int i = 0; i < n * n; i++) {
            assertEquals(once.matrix()[i], streamed.matrix()[i], 1e-4 * Math.abs(once.matrix()[i]) + 1e-3);
        }
    }

    @Test
    void singularHessianDoesNotCrash() {
        int n = 4;
        // column 1 duplicates column 0 and column 3 is always zero: H is singular
        float[] x = new float[20 * n];
        Random r = new Random(1);
        for (int i = 0; i < 20; i++) {
            float a = (float) r.nextGaussian();
            x[i * n] = a;
            x[i * n + 1] = a;
            x[i * n + 2] = (float) r.nextGaussian();
        }
        float[] h = new float[n * n];
        linalg.accumulateGram(h, n, x, 20);
        ObsSolver solver = new ObsSolver(linalg, 0);
        ObsSolver.Inverse inv = solver.invert(h, n);
        assertTrue(inv.lambda() > 0, "dampening was raised until H + λI factored");
        float[] w = {1, 2, 3, 4, 5, 6, 7, 8};
        double[] losses = solver.losses(w, 2, n, inv.matrix(), new int[][] {{0}, {1}, {2}, {3}});
        for (double loss : losses) {
            assertTrue(Double.isFinite(loss) && loss >= 0);
        }
        assertTrue(solver.compensate(w, 2, n, inv.matrix(), new int[] {1, 3}));
        assertArrayEquals(new float[] {0, 0}, new float[] {w[1], w[3]});
        assertEquals(3f, w[0], 1e-2f, "column 0 takes over the duplicate's weight: 1 + 2");
        float[] zero = new float[n * n];
        ObsSolver.Inverse fromZero = solver.invert(zero, n);
        for (float v : fromZero.matrix()) {
            assertTrue(Float.isFinite(v));
        }
    }

    private static float[] gaussian(int length, long seed) {
        Random r = new Random(seed);
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            out[i] = (float) r.nextGaussian();
        }
        return out;
    }

    /** H of 300 correlated rows plus 300 on the diagonal: well conditioned, so float32 rounding does not hide an algebra error. */
    private float[] wellConditionedHessian(int n, long seed) {
        int rows = 300;
        float[] x = correlatedRows(rows, n - 1, seed);
        float[] h = new float[n * n];
        linalg.accumulateGram(h, n, x, rows);
        for (int i = 0; i < n; i++) {
            h[i * n + i] += rows;
        }
        return h;
    }

    /**
     * Greedy scoring of one group holds each consumer's H⁻¹ restricted to the group's columns: the losses of those
     * columns, before and after some of them are removed, are the ones the whole inverse gives.
     */
    @Test
    void anInverseRestrictedToAGroupsColumnsScoresThemAsTheWholeOne() {
        int n = 11;
        int outputs = 5;
        DenseInverse whole = new DenseInverse(new ObsSolver(linalg, 0).invert(wellConditionedHessian(n, 12), n).matrix(), n);
        float[] w = gaussian(outputs * n, 13);
        ObsSolver solver = new ObsSolver(linalg, 0);
        int[] group = {1, 2, 4, 7, 8, 9};
        InverseHessian restricted = whole.restrictedTo(group);
        float[] wholeWT = Transpose.of(w, outputs, n);
        float[] groupWT = Submatrix.rows(wholeWT, outputs, group, Submatrix.allOf(outputs));
        assertLossesEqual(solver, wholeWT, whole, groupWT, restricted, outputs, group);
        // remove columns 2 and 8 (positions 1 and 4 of the group) from both
        assertTrue(solver.removeAndShrink(wholeWT, outputs, whole, new int[] {2, 8}));
        assertTrue(solver.removeAndShrink(groupWT, outputs, restricted, new int[] {1, 4}));
        int[] left = {1, 4, 7, 9};
        int[] leftNow = {1, 3, 6, 7}; // their indices among the whole's columns once 2 and 8 are gone
        assertLossesEqual(solver, wholeWT, whole, groupWT, restricted, outputs, leftNow);
        assertEquals(left.length, restricted.size());
    }

    /** Each of the first's columns alone against the same column, the i-th of the restricted one. */
    private static void assertLossesEqual(ObsSolver solver, float[] wholeWT, InverseHessian whole, float[] groupWT, InverseHessian restricted,
                                          int outputs, int[] wholeColumns) {
        int[][] wholeSets = new int[wholeColumns.length][];
        int[][] groupSets = new int[wholeColumns.length][];
        for (int i = 0; i < wholeColumns.length; i++) {
            wholeSets[i] = new int[] {wholeColumns[i]};
            groupSets[i] = new int[] {i};
        }
        double[] expected = whole.losses(wholeWT, outputs, wholeSets);
        double[] actual = restricted.losses(groupWT, outputs, groupSets);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * expected[i], "loss of column " + wholeColumns[i]);
        }
    }

    @Test
    void removingAndShrinkingLeavesTheCompensatedWeightsAndTheInverseOfTheRemainingHessian() {
        int n = 11;
        int outputs = 5;
        float[] h = wellConditionedHessian(n, 9);
        ObsSolver solver = new ObsSolver(linalg, 0);
        float[] hinv = solver.invert(h, n).matrix();
        float[] w = gaussian(outputs * n, 4);
        int[] removed = {0, 3, 4, 10};
        int[] kept = {1, 2, 5, 6, 7, 8, 9};
        float[] compensated = w.clone();
        assertTrue(solver.compensate(compensated, outputs, n, hinv.clone(), removed));

        float[] shrunkWT = Transpose.of(w, outputs, n);
        float[] shrunkHinv = hinv.clone();
        assertTrue(solver.removeAndShrink(shrunkWT, outputs, n, shrunkHinv, removed));
        int m = kept.length;
        for (int o = 0; o < outputs; o++) {
            for (int j = 0; j < m; j++) {
                assertEquals(compensated[o * n + kept[j]], shrunkWT[j * outputs + o], 1e-4, "weight " + o + "," + kept[j]);
            }
        }
        float[] hKept = new float[m * m];
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                hKept[a * m + b] = h[kept[a] * n + kept[b]];
            }
        }
        float[] direct = linalg.inverseFromCholesky(linalg.cholesky(hKept, m), m);
        for (int i = 0; i < m * m; i++) {
            assertEquals(direct[i], shrunkHinv[i], 1e-4 * Math.abs(direct[i]) + 1e-7, "H⁻¹ of the remaining columns at " + i);
        }
    }

    @Test
    void compensatingManyColumnsInBlocksEqualsTheUpdateMadeAtOnce() {
        int n = 600;
        int outputs = 7;
        Random r = new Random(8);
        float[] x = new float[2 * n * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] h = new float[n * n];
        linalg.accumulateGram(h, n, x, 2 * n);
        ObsSolver solver = new ObsSolver(linalg, 0.01);
        float[] hinv = solver.invert(h, n).matrix();
        float[] w = new float[outputs * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        int[] removed = IntStream.range(0, n).filter(c -> c % 3 != 0).toArray(); // 400: two blocks of rows
        float[] blocked = w.clone();
        assertTrue(solver.compensate(blocked, outputs, n, hinv, removed));
        float[] atOnceT = Transpose.of(w, outputs, n);
        assertTrue(solver.removeAndShrink(atOnceT, outputs, n, hinv.clone(), removed));
        for (int o = 0; o < outputs; o++) {
            for (int j = 0; j < n / 3; j++) {
                assertEquals(atOnceT[j * outputs + o], blocked[o * n + 3 * j], 1e-3, "weight " + o + "," + 3 * j);
            }
        }
    }
}
