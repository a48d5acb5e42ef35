package dev.spa.linalg;

/**
 * The dense linear algebra OBSPA needs, on row-major float32 matrices, behind one interface so a
 * GPU implementation can replace the CPU one. Square matrices are n x n; X is rows x n.
 */
public interface Linalg {
    /** A short name for logs, reports and metrics ("cpu", "cuda"). */
    String name();

    /** H += Xᵀ X for a symmetric H: the Hessian of a linear layer's input, accumulated batch by batch. */
    void accumulateGram(float[] h, int n, float[] x, int rows);

    /** C += Xᵀ Y for X and Y both rows x n: the cross moment of two versions of the same inputs. */
    void accumulateCross(float[] c, int n, float[] x, float[] y, int rows);

    /** C = A B with A m x k and B k x n. */
    float[] multiply(float[] a, float[] b, int m, int k, int n);

    /** C += alpha A B in place, with C m x n, A m x k and B k x n (rank-k updates, no new n x n matrix). */
    void multiplyAccumulate(float[] c, float[] a, float[] b, int m, int k, int n, float alpha);

    /**
     * Cholesky factor of a symmetric positive-definite matrix: the lower-triangular L with
     * L Lᵀ = A (upper part zero), or null when A is not positive definite.
     */
    float[] cholesky(float[] a, int n);

    /** A⁻¹ from A's Cholesky factor L: (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹. */
    float[] inverseFromCholesky(float[] l, int n);

    /**
     * Overwrites a symmetric positive-definite A with A⁻¹ and returns true, or returns false with A
     * unchanged when it is not positive definite. For the largest matrices OBSPA inverts (85 MB at 4608
     * columns) this holds one matrix where factor-then-invert holds three.
     */
    default boolean invertInPlace(float[] a, int n) {
        float[] l = cholesky(a, n);
        if (l == null) {
            return false;
        }
        System.arraycopy(inverseFromCholesky(l, n), 0, a, 0, n * n);
        return true;
    }
}
