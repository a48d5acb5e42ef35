package dev.spa.latency;

/**
 * Finds the channel multiple a kernel runs best at from a sweep of sizes. Two patterns show up on ONNX Runtime's
 * CPU kernels, often together: sizes that are a multiple of s take a faster path than their neighbours (depthwise
 * Conv at multiples of 4 runs in half the time of the sizes between), and time grows in stairs of s (a pointwise
 * Conv costs the same from 129 to 144 output channels). So each candidate s is fitted by least squares as
 * ms = a + b * ceil(size / s) * s + d * [size is not a multiple of s]; the largest s whose fit is clearly better
 * than the best smaller one is the step, 1 when time simply grows with the size.
 */
public final class KernelSteps {
    /** Multiples tried, smallest first. */
    static final int[] CANDIDATES = {1, 2, 4, 8, 16, 32};
    /** How much smaller a larger multiple's residual must be to be believed over a smaller one (noise on a busy machine). */
    private static final double BETTER = 0.7;

    private KernelSteps() {
    }

    /** The step the measured times show; a multiple is only considered where the sweep holds at least two of its multiples. */
    public static int fit(long[] sizes, double[] ms) {
        int best = 1;
        double bestResidual = residual(sizes, ms, 1);
        for (int s : CANDIDATES) {
            if (s == 1 || multiples(sizes, s) < 2) {
                continue;
            }
            double r = residual(sizes, ms, s);
            if (r < BETTER * bestResidual) {
                best = s;
                bestResidual = r;
            }
        }
        return best;
    }

    private static int multiples(long[] sizes, int step) {
        int n = 0;
        for (long size : sizes) {
            if (size % step == 0) {
                n++;
            }
        }
        return n;
    }

    /** Sum of squared residuals of the least-squares fit of ms to (1, the size rounded up to the step, off the step). */
    static double residual(long[] sizes, double[] ms, int step) {
        int n = sizes.length;
        double[][] features = new double[n][];
        for (int i = 0; i < n; i++) {
            features[i] = new double[] {1, roundUp(sizes[i], step), sizes[i] % step == 0 ? 0 : 1};
        }
        double[] coefficients = leastSquares(features, ms);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = ms[i];
            for (int j = 0; j < 3; j++) {
                e -= coefficients[j] * features[i][j];
            }
            sum += e * e;
        }
        return sum;
    }

    /** Normal equations, with a tiny ridge so that a feature that never varies (no size off the step) gets weight 0. */
    private static double[] leastSquares(double[][] x, double[] y) {
        int k = x[0].length;
        double[][] a = new double[k][k + 1];
        for (int i = 0; i < x.length; i++) {
            for (int p = 0; p < k; p++) {
                for (int q = 0; q < k; q++) {
                    a[p][q] += x[i][p] * x[i][q];
                }
                a[p][k] += x[i][p] * y[i];
            }
        }
        for (int p = 0; p < k; p++) {
            a[p][p] += 1e-9 * (1 + a[p][p]);
        }
        for (int p = 0; p < k; p++) { // Gaussian elimination; the matrix is symmetric positive definite
            for (int r = p + 1; r < k; r++) {
                double f = a[r][p] / a[p][p];
                for (int c = p; c <= k; c++) {
                    a[r][c] -= f * a[p][c];
                }
            }
        }
        double[] out = new double[k];
        for (int p = k - 1; p >= 0; p--) {
            double v = a[p][k];
            for (int c = p + 1; c < k; c++) {
                v -= a[p][c] * out[c];
            }
            out[p] = v / a[p][p];
        }
        return out;
    }

    static long roundUp(long size, int step) {
        return (size + step - 1) / step * step;
    }
}
