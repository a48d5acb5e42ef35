package dev.spa.linalg;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Triangle bookkeeping, at sizes below, at and across the mirror's tile. */
class TrianglesTest {
    private static float[] numbered(int n) {
        float[] a = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = i + 1;
        }
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 64, 65, 130})
    void eachTriangleIsCopiedOntoTheOtherAndTheDiagonalStays(int n) {
        float[] lower = numbered(n);
        Triangles.copyLowerToUpper(lower, n);
        float[] upper = numbered(n);
        Triangles.copyUpperToLower(upper, n);
        float[] original = numbered(n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                float below = original[Math.max(i, j) * n + Math.min(i, j)];
                float above = original[Math.min(i, j) * n + Math.max(i, j)];
                assertEquals(below, lower[i * n + j], "lower to upper at " + i + "," + j);
                assertEquals(above, upper[i * n + j], "upper to lower at " + i + "," + j);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 70})
    void aboveTheDiagonalBecomesZeroAndTheRestStays(int n) {
        float[] l = numbered(n);
        Triangles.zeroAboveDiagonal(l, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(j > i ? 0f : i * n + j + 1, l[i * n + j], i + "," + j);
            }
        }
    }
}
