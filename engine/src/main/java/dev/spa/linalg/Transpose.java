package dev.spa.linalg;

/** The transpose of a row-major matrix, in 64 x 64 tiles so both the reads and the writes stay in cache. */
public final class Transpose {
    private static final int TILE = 64;

    private Transpose() {
    }

    /** Aᵀ (cols x rows) of the leading rows x cols of {@code a}. */
    public static float[] of(float[] a, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int i0 = 0; i0 < rows; i0 += TILE) {
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                for (int i = i0; i < Math.min(rows, i0 + TILE); i++) {
                    for (int j = j0; j < Math.min(cols, j0 + TILE); j++) {
                        t[j * rows + i] = a[i * cols + j];
                    }
                }
            }
        }
        return t;
    }
}
