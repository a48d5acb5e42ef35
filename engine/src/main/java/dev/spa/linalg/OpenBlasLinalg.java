package dev.spa.linalg;

import static org.bytedeco.openblas.global.openblas.CblasLower;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.LAPACKE_spotrf;
import static org.bytedeco.openblas.global.openblas.LAPACKE_spotri;
import static org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas.cblas_ssyrk;

/**
 * Linear algebra on OpenBLAS (through JavaCPP's presets): SYRK for Gram matrices, GEMM for products and
 * rank-k updates, LAPACK's POTRF and POTRI for the Cholesky factor and the inverse. Its kernels are the
 * CPU vendor's kind of code (assembly per micro-architecture, picked at load time or by
 * OPENBLAS_CORETYPE), several times the hand-written ones' speed (BENCHMARKS.md, linear algebra).
 * Load it through {@link OpenBlas#result}, which sets its thread count.
 *
 * <p>Operands go through native buffers kept per thread and reused, not through Java arrays handed to
 * JNI: JavaCPP passes a float[] by copying it into freshly allocated native memory and back, and for an
 * H⁻¹ of 4608 columns (85 MB) that allocation and its page faults cost 0.3 s a call, a hundred times
 * the rank-9 update the call makes during greedy removal.
 */
public final class OpenBlasLinalg implements Linalg {
    /**
     * A row-major lower triangle is, read column-major, the upper triangle of the transpose: LAPACK is asked
     * for the column-major upper factor U = Lᵀ of the same symmetric matrix, so LAPACKE has no row-major
     * copy to transpose in and out (that copy cost a third of the time).
     */
    private static final byte UPPER_OF_TRANSPOSE = 'U';

    OpenBlasLinalg() {
    }

    /** Where it runs, as metrics and plans name it: the CPU (the implementation is in {@link OpenBlas#result}). */
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public void accumulateGram(float[] h, int n, float[] x, int rows) {
        // SYRK writes the lower triangle only (half the work); the upper one is mirrored from it
        NativeOperands o = NativeOperands.forThisThread();
        cblas_ssyrk(CblasRowMajor, CblasLower, CblasTrans, n, rows, 1f, o.a(x, n * rows), n, 1f, o.c(h, n * n), n);
        o.result(h, n * n);
        Triangles.copyLowerToUpper(h, n);
    }

    @Override
    public void accumulateCross(float[] c, int n, float[] x, float[] y, int rows) {
        NativeOperands o = NativeOperands.forThisThread();
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, n, rows, 1f, o.a(x, rows * n), n, o.b(y, rows * n), n, 1f,
                o.c(c, n * n), n);
        o.result(c, n * n);
    }

    @Override
    public float[] multiply(float[] a, float[] b, int m, int k, int n) {
        float[] c = new float[m * n];
        NativeOperands o = NativeOperands.forThisThread();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1f, o.a(a, m * k), k, o.b(b, k * n), n, 0f, o.cOfSize(m * n), n);
        o.result(c, m * n);
        return c;
    }

    @Override
    public void multiplyAccumulate(float[] c, float[] a, float[] b, int m, int k, int n, float alpha) {
        NativeOperands o = NativeOperands.forThisThread();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, alpha, o.a(a, m * k), k, o.b(b, k * n), n, 1f, o.c(c, m * n), n);
        o.result(c, m * n);
    }

    @Override
    public float[] cholesky(float[] a, int n) {
        NativeOperands o = NativeOperands.forThisThread();
        if (LAPACKE_spotrf(LAPACK_COL_MAJOR, UPPER_OF_TRANSPOSE, n, o.c(a, n * n), n) != 0) {
            return null; // info > 0: a leading minor is not positive definite
        }
        float[] l = new float[n * n];
        o.result(l, n * n);
        Triangles.zeroAboveDiagonal(l, n);
        return l;
    }

    /** POTRF then POTRI on one native copy: A goes in once and A⁻¹ comes back once, into A's own array. */
    @Override
    public boolean invertInPlace(float[] a, int n) {
        NativeOperands o = NativeOperands.forThisThread();
        if (LAPACKE_spotrf(LAPACK_COL_MAJOR, UPPER_OF_TRANSPOSE, n, o.c(a, n * n), n) != 0) {
            return false;
        }
        potri(o, n);
        o.result(a, n * n);
        Triangles.copyLowerToUpper(a, n);
        return true;
    }

    @Override
    public float[] inverseFromCholesky(float[] l, int n) {
        NativeOperands o = NativeOperands.forThisThread();
        o.c(l, n * n);
        potri(o, n);
        float[] inverse = new float[n * n];
        o.result(inverse, n * n);
        Triangles.copyLowerToUpper(inverse, n);
        return inverse;
    }

    /** The inverse from the factor in the result buffer, in place (its lower triangle, row-major). */
    private static void potri(NativeOperands o, int n) {
        int info = LAPACKE_spotri(LAPACK_COL_MAJOR, UPPER_OF_TRANSPOSE, n, o.cOfSize(n * n), n);
        if (info != 0) {
            throw new IllegalStateException("LAPACK spotri failed (info " + info + "): the Cholesky factor is singular");
        }
    }
}
