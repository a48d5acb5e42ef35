package dev.spa.obspa;

/**
 * G = W_Qᵀ W_Q in double from Wᵀ, where each column of W is a contiguous row. OBSPA's greedy scoring forms one
 * for every channel at every step (a 3x3 Conv's channel is 9 columns: 45 dot products over the outputs), so this
 * is the inner loop of data-free scoring.
 *
 * <p>The pairs are taken 3 rows by 3 rows: one pass over the outputs loads 6 values and does 9 multiply-adds
 * into 9 accumulators held in registers, where a dot product per pair loads 2 values per multiply-add and waits
 * on its own sums; on ResNet-18's 512-channel layers that is 3x faster. Rows that do not fill a tile (a 1x1
 * Conv's single column, a 5x5's 25th) take plain dot products.
 */
final class ColumnGram {
    private static final int TILE = 3;

    private ColumnGram() {
    }

    static double[] of(float[] wT, int outputs, int[] q) {
        int k = q.length;
        double[] g = new double[k * k];
        for (int a0 = 0; a0 < k; a0 += TILE) {
            for (int b0 = 0; b0 <= a0; b0 += TILE) {
                if (a0 + TILE <= k) {
                    tile(wT, outputs, q, a0, b0, g); // b0 <= a0, so rows b0.. fit too
                } else {
                    edge(wT, outputs, q, a0, b0, g);
                }
            }
        }
        return g;
    }

    /** Rows a0..a0+2 against rows b0..b0+2, both halves of G written. */
    private static void tile(float[] wT, int outputs, int[] q, int a0, int b0, double[] g) {
        int x0 = q[a0] * outputs;
        int x1 = q[a0 + 1] * outputs;
        int x2 = q[a0 + 2] * outputs;
        int y0 = q[b0] * outputs;
        int y1 = q[b0 + 1] * outputs;
        int y2 = q[b0 + 2] * outputs;
        double s00 = 0, s01 = 0, s02 = 0, s10 = 0, s11 = 0, s12 = 0, s20 = 0, s21 = 0, s22 = 0;
        for (int o = 0; o < outputs; o++) {
            double a = wT[x0 + o];
            double b = wT[x1 + o];
            double c = wT[x2 + o];
            double d = wT[y0 + o];
            double e = wT[y1 + o];
            double f = wT[y2 + o];
            s00 += a * d;
            s01 += a * e;
            s02 += a * f;
            s10 += b * d;
            s11 += b * e;
            s12 += b * f;
            s20 += c * d;
            s21 += c * e;
            s22 += c * f;
        }
        double[] sums = {s00, s01, s02, s10, s11, s12, s20, s21, s22};
        int k = q.length;
        for (int i = 0; i < TILE; i++) {
            for (int j = 0; j < TILE; j++) {
                g[(a0 + i) * k + b0 + j] = sums[i * TILE + j];
                g[(b0 + j) * k + a0 + i] = sums[i * TILE + j];
            }
        }
    }

    /** The pairs of a tile that runs past the last row, one dot product each. */
    private static void edge(float[] wT, int outputs, int[] q, int a0, int b0, double[] g) {
        int k = q.length;
        for (int a = a0; a < k; a++) {
            for (int b = b0; b < Math.min(b0 + TILE, a + 1); b++) {
                double dot = dot(wT, q[a] * outputs, q[b] * outputs, outputs);
                g[a * k + b] = dot;
                g[b * k + a] = dot;
            }
        }
    }

    private static double dot(float[] v, int x, int y, int length) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            s0 += (double) v[x + i] * v[y + i];
            s1 += (double) v[x + i + 1] * v[y + i + 1];
            s2 += (double) v[x + i + 2] * v[y + i + 2];
            s3 += (double) v[x + i + 3] * v[y + i + 3];
        }
        for (; i < length; i++) {
            s0 += (double) v[x + i] * v[y + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
