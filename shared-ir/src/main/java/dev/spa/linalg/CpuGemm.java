package dev.spa.linalg;

import java.util.stream.IntStream;

/**
 * C += alpha * A * B on row-major float arrays, tiled so a tile of B stays in cache while a few
 * rows of C use it, with the inner loop in a form the JIT vectorises (c[j] += a * b[j]), and row
 * tiles spread over the cores. Zero entries of A skip their whole row of B, which makes products
 * with triangular factors cost about half.
 */
final class CpuGemm {
    private static final int ROWS = 16;
    private static final int COLS = 512;
    private static final int DEPTH = 128;

    private CpuGemm() {
    }

    /** A row-major matrix inside an array: element (i, j) is at offset + i * stride + j. */
    record View(float[] data, int offset, int stride) {
        static View of(float[] data, int cols) {
            return new View(data, 0, cols);
        }
    }

    /**
     * C (m x n) += alpha * A (m x k) * B (k x n).
     *
     * @param lowerB B is lower triangular (B[k][j] = 0 for j > k), so columns past k are skipped
     * @param lowerC only C's lower triangle (j <= i) is wanted
     */
    static void accumulate(View c, View a, View b, int m, int k, int n, float alpha, boolean lowerB, boolean lowerC) {
        int tiles = (m + ROWS - 1) / ROWS;
        IntStream range = IntStream.range(0, tiles);
        if ((long) m * k * n > 1 << 18) {
            range = range.parallel();
        }
        range.forEach(t -> tile(c, a, b, t * ROWS, Math.min(m, (t + 1) * ROWS), k, n, alpha, lowerB, lowerC));
    }

    private static void tile(View c, View a, View b, int i0, int i1, int k, int n, float alpha,
                             boolean lowerB, boolean lowerC) {
        float[] cd = c.data();
        float[] ad = a.data();
        float[] bd = b.data();
        int jEnd = lowerC ? Math.min(n, i1) : n;
        for (int j0 = 0; j0 < jEnd; j0 += COLS) {
            int j1 = Math.min(jEnd, j0 + COLS);
            // with B lower triangular, rows k < j0 of B are zero in these columns
            for (int k0 = lowerB ? j0 : 0; k0 < k; k0 += DEPTH) {
                int k1 = Math.min(k, k0 + DEPTH);
                for (int i = i0; i < i1; i++) {
                    int rowEnd = lowerC ? Math.min(j1, i + 1) : j1;
                    if (rowEnd <= j0) {
                        continue;
                    }
                    int ci = c.offset() + i * c.stride();
                    int ai = a.offset() + i * a.stride();
                    for (int kk = k0; kk < k1; kk++) {
                        float s = alpha * ad[ai + kk];
                        if (s == 0f) {
                            continue;
                        }
                        int bk = b.offset() + kk * b.stride();
                        int end = lowerB ? Math.min(rowEnd, kk + 1) : rowEnd;
                        for (int j = j0; j < end; j++) {
                            cd[ci + j] += s * bd[bk + j];
                        }
                    }
                }
            }
        }
    }

    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int i0 = 0; i0 < rows; i0 += 64) {
            for (int j0 = 0; j0 < cols; j0 += 64) {
                for (int i = i0; i < Math.min(rows, i0 + 64); i++) {
                    for (int j = j0; j < Math.min(cols, j0 + 64); j++) {
                        t[j * rows + i] = a[i * cols + j];
                    }
                }
            }
        }
        return t;
    }
}
