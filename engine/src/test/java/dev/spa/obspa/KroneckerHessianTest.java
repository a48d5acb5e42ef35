package dev.spa.obspa;

import dev.spa.linalg.CpuLinalg;
import dev.spa.linalg.Linalg;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A data-free Hessian kept as m mᵀ + Σ ⊗ R gives the same diagonal, energy and damped inverse as the same
 * matrix written out and inverted whole, for a 3x3 Conv with a bias, a Gemm, and a singular correlation.
 */
class KroneckerHessianTest {
    private final Linalg linalg = new CpuLinalg();
    private final ObsSolver solver = new ObsSolver(linalg, 0.01);

    /** ρ^(|dy|+|dx|) over a kw x kw patch, as the data-free moments assume. */
    private static double[] correlation(int kw, double rho) {
        int k = kw * kw;
        double[] r = new double[k * k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                r[a * k + b] = Math.pow(rho, Math.abs(a / kw - b / kw) + Math.abs(a % kw - b % kw));
            }
        }
        return r;
    }

    /** A covariance B Bᵀ / C of correlated channels, with one channel nearly a copy of another. */
    private static float[] covariance(int channels, Random random) {
        double[] b = new double[channels * channels];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextGaussian();
        }
        for (int j = 0; j < channels; j++) {
            b[channels + j] = b[j] + 0.01 * b[channels + j];
        }
        float[] cov = new float[channels * channels];
        for (int i = 0; i < channels; i++) {
            for (int j = 0; j < channels; j++) {
                double s = 0;
                for (int t = 0; t < channels; t++) {
                    s += b[i * channels + t] * b[j * channels + t];
                }
                cov[i * channels + j] = (float) (s / channels);
            }
        }
        return cov;
    }

    private static double[] means(int channels, Random random) {
        double[] m = new double[channels];
        for (int c = 0; c < channels; c++) {
            m[c] = 0.5 + random.nextGaussian() * 0.3;
        }
        return m;
    }

    private static float[] weights(int outputs, int n, Random random) {
        float[] w = new float[outputs * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        return w;
    }

    private void assertSameAsWrittenOut(KroneckerHessian structured, int outputs, long seed) {
        int n = structured.size();
        float[] dense = structured.dense();
        GramHessian written = GramHessian.of(n, dense.clone());
        assertArrayEquals(written.diagonal(), structured.diagonal(), 1e-5);
        float[] w = weights(outputs, n, new Random(seed));
        double energy = written.energy(linalg, w, outputs);
        assertEquals(energy, structured.energy(linalg, w, outputs), 1e-4 * Math.abs(energy));
        ObsSolver.Inverse expected = solver.invert(written);
        ObsSolver.Inverse actual = solver.invert(structured);
        assertEquals(expected.lambda(), actual.lambda(), 1e-6 * expected.lambda()); // the written-out diagonal is float
        assertFalse(actual.diagonalFallback());
        double largest = 0;
        for (float v : expected.matrix()) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertClose(expected.matrix(), actual.value().block(Submatrix.allOf(n), Submatrix.allOf(n)), 2e-4 * largest, "H⁻¹");
        int positions = structured.size() > 20 ? 9 : 1;
        assertLossesAgree(expected.value(), actual.value(), w, outputs, positions);
        assertCompensationsAgree(expected.value(), actual.value(), w, outputs, positions);
        assertRemovalsAgree((DenseInverse) expected.value(), actual.value(), positions, largest);
    }

    /** The OBS losses of one channel, another, and two together are the same from either form of the inverse. */
    private void assertLossesAgree(InverseHessian dense, InverseHessian structured, float[] w, int outputs, int positions) {
        int[][] sets = new int[3][];
        sets[0] = IntStream.range(0, positions).toArray();
        sets[1] = IntStream.range(positions, 2 * positions).toArray();
        sets[2] = IntStream.concat(IntStream.range(0, positions), IntStream.range(2 * positions, 3 * positions)).toArray();
        double[] expected = solver.losses(w, outputs, dense, sets);
        double[] actual = solver.losses(w, outputs, structured, sets);
        for (int i = 0; i < sets.length; i++) {
            assertEquals(expected[i], actual[i], 1e-3 * expected[i], "loss of set " + i);
        }
    }

    /** The weight update for removing channels 0 and 2 is the same from either form of the inverse. */
    private void assertCompensationsAgree(InverseHessian dense, InverseHessian structured, float[] w, int outputs, int positions) {
        int[] removed = new int[2 * positions];
        for (int a = 0; a < positions; a++) {
            removed[a] = a;
            removed[positions + a] = 2 * positions + a;
        }
        float[] fromDense = assertSameUpdate(dense, structured, w, outputs, removed);
        assertNotEquals(w[1 * dense.size() + 3 * positions], fromDense[1 * dense.size() + 3 * positions], "a kept weight moved");
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, what + " entry " + i);
        }
    }

    /**
     * Removing the same whole channels, twice in a row, from the written-out inverse (n x n downdates) and from the
     * structured one (C x C downdates) leaves the same inverse and gives the same compensation coefficients.
     */
    private void assertRemovalsAgree(DenseInverse dense, InverseHessian structured, int positions, double largest) {
        int[][] removals = {{1, 3}, {0}}; // channels, in the present numbering at each step (every case has at least 4)
        for (int[] channels : removals) {
            int[] columns = new int[channels.length * positions];
            for (int c = 0; c < channels.length; c++) {
                for (int a = 0; a < positions; a++) {
                    columns[c * positions + a] = channels[c] * positions + a;
                }
            }
            float[] expectedT = removalCoefficients(dense, columns);
            float[] actualT = removalCoefficients(structured, columns);
            assertEquals(dense.size(), structured.size());
            double tLargest = 0;
            for (float v : expectedT) {
                tLargest = Math.max(tLargest, Math.abs(v));
            }
            assertClose(expectedT, actualT, 1e-3 * tLargest, "compensation");
            int n = dense.size();
            assertClose(dense.block(Submatrix.allOf(n), Submatrix.allOf(n)), structured.block(Submatrix.allOf(n), Submatrix.allOf(n)),
                    5e-4 * largest, "H⁻¹ after removal");
        }
    }

    /**
     * T of removing these columns, read off the weight move: Wᵀ_R = 0 and Wᵀ_Q = I (in the columns' own basis) leave
     * Wᵀ_R = −T; the removal works in the inverse's basis, so the rows go there and back.
     */
    private float[] removalCoefficients(InverseHessian inverse, int[] columns) {
        int q = columns.length;
        int n = inverse.size();
        float[] full = new float[n * q];
        for (int i = 0; i < q; i++) {
            full[columns[i] * q + i] = 1;
        }
        inverse.toWorkingBasis(full, q);
        float[] wT = Submatrix.rows(full, q, Submatrix.complement(columns, n), Submatrix.allOf(q));
        float[] wqT = Submatrix.rows(full, q, columns, Submatrix.allOf(q));
        assertTrue(inverse.removeColumns(linalg, columns, wT, wqT, q));
        inverse.fromWorkingBasis(wT, q);
        for (int i = 0; i < wT.length; i++) {
            wT[i] = -wT[i];
        }
        return wT;
    }

    /**
     * Half of 128 channels of a 3x3 Conv removed at once (T whole would be 577 x 576, which the structured inverse
     * never forms): the compensated weights are those of the written-out inverse.
     */
    @Test
    void aLargeRemovalMovesTheWeightsAsTheWrittenOutInverse() {
        Random random = new Random(11);
        int channels = 128;
        int outputs = 16;
        KroneckerHessian h = new KroneckerHessian(means(channels, random), covariance(channels, random), correlation(3, 0.5), 9, true);
        InverseHessian dense = solver.invert(GramHessian.of(h.size(), h.dense())).value();
        InverseHessian structured = solver.invert(h).value();
        int[] removed = new int[channels / 2 * 9];
        for (int c = 0; c < channels / 2; c++) {
            for (int a = 0; a < 9; a++) {
                removed[c * 9 + a] = (2 * c + 1) * 9 + a; // every odd channel
            }
        }
        float[] w = weights(outputs, h.size(), random);
        assertSameUpdate(dense, structured, w, outputs, removed);
    }

    /** Compensates W for removing these columns from either form of the inverse; returns the written-out one's. */
    private float[] assertSameUpdate(InverseHessian dense, InverseHessian structured, float[] w, int outputs, int[] removed) {
        float[] fromDense = w.clone();
        float[] fromStructure = w.clone();
        assertTrue(solver.compensate(fromDense, outputs, dense, removed));
        assertTrue(solver.compensate(fromStructure, outputs, structured, removed));
        double largest = 0;
        for (float v : fromDense) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertClose(fromDense, fromStructure, 1e-3 * largest, "compensated weights");
        return fromDense;
    }

    @Test
    void partOfAChannelCannotBeRemoved() {
        Random random = new Random(7);
        KroneckerHessian h = new KroneckerHessian(means(3, random), covariance(3, random), correlation(3, 0.5), 9, true);
        InverseHessian inverse = solver.invert(h).value();
        assertThrows(IllegalArgumentException.class, () -> inverse.removeColumns(linalg, new int[] {9, 10, 11}, new float[25], new float[3], 1));
        assertThrows(IllegalArgumentException.class, () -> inverse.removeColumns(linalg, new int[] {27}, new float[27], new float[1], 1),
                "the bias");
    }

    @Test
    void convWithBiasAndMeans() {
        Random random = new Random(1);
        int channels = 7;
        KroneckerHessian h = new KroneckerHessian(means(channels, random), covariance(channels, random), correlation(3, 0.5), 9, true);
        assertSameAsWrittenOut(h, 5, 2);
    }

    @Test
    void gemmWithoutBias() {
        Random random = new Random(3);
        int features = 12;
        KroneckerHessian h = new KroneckerHessian(means(features, random), covariance(features, random), new double[] {1}, 1, false);
        assertSameAsWrittenOut(h, 4, 4);
    }

    @Test
    void fullySpatiallyCorrelatedPatchWithZeroMeans() {
        Random random = new Random(5);
        int channels = 4;
        // ρ = 1: R is all ones (rank 1), so eight of its nine eigenvalues are zero and only λ keeps H + λI invertible
        KroneckerHessian h = new KroneckerHessian(new double[channels], covariance(channels, random), correlation(3, 1.0), 9, false);
        assertSameAsWrittenOut(h, 3, 6);
    }

    @Test
    void eigenvectorsReconstructTheMatrix() {
        double[] r = correlation(3, 0.7);
        SymmetricEigen e = SymmetricEigen.of(r, 9);
        for (int a = 0; a < 9; a++) {
            for (int b = 0; b < 9; b++) {
                double s = 0;
                for (int g = 0; g < 9; g++) {
                    s += e.value(g) * e.vector(g, a) * e.vector(g, b);
                }
                assertEquals(r[a * 9 + b], s, 1e-12);
            }
        }
    }
}
