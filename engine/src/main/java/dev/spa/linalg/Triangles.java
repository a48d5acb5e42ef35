package dev.spa.linalg;

import java.util.Arrays;

/**
 * The triangle bookkeeping every implementation needs around BLAS and LAPACK, which write one triangle of
 * a symmetric or triangular row-major n x n matrix: mirroring one triangle onto the other, and clearing
 * what lies above a Cholesky factor's diagonal.
 */
public final class Triangles {
    /** Mirrors tile by tile: a plain double loop writes down columns, a cache miss per element (a fifth of a 4608-wide Gram). */
    private static final int TILE = 64;

    private Triangles() {
    }

    /** Copies the lower triangle onto the upper one. */
    public static void copyLowerToUpper(float[] a, int n) {
        mirror(a, n, true);
    }

    /** Copies the upper triangle onto the lower one. */
    public static void copyUpperToLower(float[] a, int n) {
        mirror(a, n, false);
    }

    /** Sets everything above the diagonal to zero (a lower-triangular factor with garbage in its upper half). */
    public static void zeroAboveDiagonal(float[] l, int n) {
        for (int i = 0; i < n; i++) {
            Arrays.fill(l, i * n + i + 1, (i + 1) * n, 0f);
        }
    }

    private static void mirror(float[] a, int n, boolean lowerToUpper) {
        for (int i0 = 0; i0 < n; i0 += TILE) {
            int iEnd = Math.min(i0 + TILE, n);
            for (int j0 = 0; j0 <= i0; j0 += TILE) {
                for (int j = j0; j < Math.min(j0 + TILE, n); j++) {
                    for (int i = Math.max(i0, j + 1); i < iEnd; i++) {
                        // (i, j) is below the diagonal, (j, i) its mirror above
                        if (lowerToUpper) {
                            a[j * n + i] = a[i * n + j];
                        } else {
                            a[i * n + j] = a[j * n + i];
                        }
                    }
                }
            }
        }
    }
}
