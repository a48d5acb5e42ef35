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
     * @param lowerC only C's lower triangle (j <= i) is wanted; the entry just above the diagonal may
     *               be written too, so callers must not keep anything there
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
        int jEnd = lowerC ? Math.min(n, i1) : n;
        for (int j0 = 0; j0 < jEnd; j0 += COLS) {
            int j1 = Math.min(jEnd, j0 + COLS);
            // with B lower triangular, rows k < j0 of B are zero in these columns
            for (int k0 = lowerB ? j0 : 0; k0 < k; k0 += DEPTH) {
                int k1 = Math.min(k, k0 + DEPTH);
                int i = i0;
                for (; i + 1 < i1; i += 2) {
                    // with lowerC, row i also gets column i + 1, above its diagonal: callers ignore that part
                    int rowEnd = lowerC ? Math.min(j1, i + 2) : j1;
                    if (rowEnd > j0) {
                        twoRows(c, a, b, i, j0, rowEnd, k0, k1, alpha, lowerB);
                    }
                }
                if (i < i1) {
                    int rowEnd = lowerC ? Math.min(j1, i + 1) : j1;
                    if (rowEnd > j0) {
                        oneRow(c, a, b, i, j0, rowEnd, k0, k1, alpha, lowerB);
                    }
                }
            }
        }
    }

    /**
     * Rows i and i + 1 of C against four rows of B at a time: each loaded element of B serves eight
     * multiply-adds and each element of C is loaded and stored once per four depths, which the JIT
     * turns into vector code.
     */
    private static void twoRows(View c, View a, View b, int i, int j0, int rowEnd, int k0, int k1, float alpha, boolean lowerB) {
        float[] cd = c.data();
        float[] ad = a.data();
        float[] bd = b.data();
        int c0 = c.offset() + i * c.stride();
        int c1 = c0 + c.stride();
        int a0 = a.offset() + i * a.stride();
        int a1 = a0 + a.stride();
        int kk = k0;
        for (; kk + 3 < k1; kk += 4) {
            float x0 = alpha * ad[a0 + kk];
            float x1 = alpha * ad[a0 + kk + 1];
            float x2 = alpha * ad[a0 + kk + 2];
            float x3 = alpha * ad[a0 + kk + 3];
            float y0 = alpha * ad[a1 + kk];
            float y1 = alpha * ad[a1 + kk + 1];
            float y2 = alpha * ad[a1 + kk + 2];
            float y3 = alpha * ad[a1 + kk + 3];
            if (x0 == 0f && x1 == 0f && x2 == 0f && x3 == 0f && y0 == 0f && y1 == 0f && y2 == 0f && y3 == 0f) {
                continue;
            }
            int b0 = b.offset() + kk * b.stride();
            int b1 = b0 + b.stride();
            int b2 = b1 + b.stride();
            int b3 = b2 + b.stride();
            int end = lowerB ? Math.min(rowEnd, kk + 4) : rowEnd;
            for (int j = j0; j < end; j++) {
                float v0 = bd[b0 + j];
                float v1 = bd[b1 + j];
                float v2 = bd[b2 + j];
                float v3 = bd[b3 + j];
                cd[c0 + j] += x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3;
                cd[c1 + j] += y0 * v0 + y1 * v1 + y2 * v2 + y3 * v3;
            }
        }
        if (kk < k1) {
            oneRow(c, a, b, i, j0, rowEnd, kk, k1, alpha, lowerB);
            oneRow(c, a, b, i + 1, j0, rowEnd, kk, k1, alpha, lowerB);
        }
    }

    private static void oneRow(View c, View a, View b, int i, int j0, int rowEnd, int k0, int k1, float alpha, boolean lowerB) {
        float[] cd = c.data();
        float[] ad = a.data();
        float[] bd = b.data();
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
