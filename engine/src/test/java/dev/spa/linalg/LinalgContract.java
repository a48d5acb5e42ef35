package dev.spa.linalg;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link Linalg} must do, checked against float64 references at sizes on both sides of the
 * CPU's block size: each implementation's test extends this and says which one it is.
 */
abstract class LinalgContract {
    private Linalg linalg;

    /** The implementation under test (called once per test). */
    abstract Linalg linalg();

    @BeforeEach
    void create() {
        linalg = linalg();
    }

    static float[] random(int count, long seed) {
        Random r = new Random(seed);
        float[] x = new float[count];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    static double[] gramReference(float[] x, int rows, int n) {
        double[] h = new double[n * n];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    h[i * n + j] += (double) x[r * n + i] * x[r * n + j];
                }
            }
        }
        return h;
    }

    static double relativeError(float[] actual, double[] expected) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < expected.length; i++) {
            num += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            den += expected[i] * expected[i];
        }
        return Math.sqrt(num / den);
    }

    /** A well-conditioned SPD matrix: XᵀX / rows + I. */
    private float[] spd(int n, long seed) {
        int rows = 2 * n + 3;
        float[] x = random(rows * n, seed);
        float[] h = new float[n * n];
        linalg.accumulateGram(h, n, x, rows);
        for (int i = 0; i < h.length; i++) {
            h[i] /= rows;
        }
        for (int i = 0; i < n; i++) {
            h[i * n + i] += 1f;
        }
        return h;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 96, 97, 250})
    void gramMatchesFloat64(int n) {
        int rows = 301;
        float[] x = random(rows * n, n);
        float[] h = new float[n * n];
        linalg.accumulateGram(h, n, x, rows / 2);
        float[] rest = Arrays.copyOfRange(x, (rows / 2) * n, rows * n);
        linalg.accumulateGram(h, n, rest, rows - rows / 2);
        assertTrue(relativeError(h, gramReference(x, rows, n)) < 1e-5, "streamed Gram matrix");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 33, 130, 600})
    void multiplyMatchesFloat64(int k) {
        int m = 37;
        int n = 529;
        float[] a = random(m * k, 1);
        float[] b = random(k * n, 2);
        double[] ref = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < k; t++) {
                for (int j = 0; j < n; j++) {
                    ref[i * n + j] += (double) a[i * k + t] * b[t * n + j];
                }
            }
        }
        assertTrue(relativeError(linalg.multiply(a, b, m, k, n), ref) < 1e-5);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 40, 300})
    void crossMomentMatchesFloat64(int n) {
        int rows = 203;
        float[] x = random(rows * n, 3);
        float[] y = random(rows * n, 4);
        float[] c = random(n * n, 5);
        double[] ref = new double[n * n];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = c[i];
        }
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    ref[i * n + j] += (double) x[r * n + i] * y[r * n + j];
                }
            }
        }
        linalg.accumulateCross(c, n, x, y, rows);
        assertTrue(relativeError(c, ref) < 1e-5);
    }

    @Test
    void multiplyAccumulateAddsAScaledProduct() {
        int m = 19;
        int k = 45;
        int n = 70;
        float[] a = random(m * k, 6);
        float[] b = random(k * n, 7);
        float[] c = random(m * n, 8);
        double[] ref = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0;
                for (int t = 0; t < k; t++) {
                    v += (double) a[i * k + t] * b[t * n + j];
                }
                ref[i * n + j] = c[i * n + j] - 0.5 * v;
            }
        }
        linalg.multiplyAccumulate(c, a, b, m, k, n, -0.5f);
        assertTrue(relativeError(c, ref) < 1e-5);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 96, 97, 300})
    void choleskyAndInverseReproduceTheMatrix(int n) {
        float[] h = spd(n, 11 + n);
        float[] l = linalg.cholesky(h, n);
        assertNotNull(l);
        double[] llt = new double[n * n];
        double[] identity = new double[n * n];
        for (int i = 0; i < n; i++) {
            identity[i * n + i] = 1;
            for (int j = 0; j < n; j++) {
                assertTrue(j <= i || l[i * n + j] == 0f, "upper part of L is zero");
                for (int t = 0; t <= Math.min(i, j); t++) {
                    llt[i * n + j] += (double) l[i * n + t] * l[j * n + t];
                }
            }
        }
        assertTrue(relativeError(h, llt) < 1e-5, "L Lᵀ = H");
        float[] inv = linalg.inverseFromCholesky(l, n);
        float[] product = linalg.multiply(inv, h, n, n, n);
        assertTrue(relativeError(product, identity) < 1e-4, "H⁻¹ H = I");
    }

    @Test
    void notPositiveDefiniteGivesNullNotACrash() {
        float[] singular = {1, 1, 1, 1};
        assertNull(linalg.cholesky(singular, 2));
        float[] indefinite = {1, 2, 2, 1};
        assertNull(linalg.cholesky(indefinite, 2));
        float[] nan = {Float.NaN, 0, 0, 1};
        assertNull(linalg.cholesky(nan, 2));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 64, 300})
    void invertingInPlaceGivesTheInverseInTheSameArray(int n) {
        float[] h = spd(n, 5 + n);
        float[] a = h.clone();
        assertTrue(linalg.invertInPlace(a, n));
        float[] expected = linalg.inverseFromCholesky(linalg.cholesky(h, n), n);
        assertTrue(relativeError(a, toDouble(expected)) < 1e-5, "the same inverse as factor-then-invert");
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                assertEquals(a[i * n + j], a[j * n + i], "symmetric at " + i + "," + j);
            }
        }
    }

    @Test
    void invertingInPlaceWhatIsNotPositiveDefiniteLeavesItUnchanged() {
        float[] indefinite = {1, 2, 2, 1};
        assertFalse(linalg.invertInPlace(indefinite, 2));
        assertArrayEquals(new float[] {1, 2, 2, 1}, indefinite);
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
