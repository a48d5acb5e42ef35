package dev.spa.obspa;

import dev.spa.linalg.CpuLinalg;
import dev.spa.linalg.Linalg;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
        for (int i = 0; i < n * n; i++) {
            assertEquals(expected.matrix()[i], actual.matrix()[i], 2e-4 * largest, "entry " + i / n + "," + i % n);
        }
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
