package dev.spa.obspa;

import dev.spa.linalg.Linalg;
import dev.spa.linalg.Transpose;
import java.util.Arrays;

/**
 * H⁻¹ written out, n x n row-major. Removing columns shrinks it in place: the result is the leading (n − q)² of the
 * same array, so removals go on one after another on ever smaller matrices.
 */
public final class DenseInverse implements InverseHessian {
    private final float[] m;
    private int n;

    public DenseInverse(float[] m, int n) {
        this.m = m;
        this.n = n;
    }

    /** The array: its leading size² entries are H⁻¹. */
    public float[] matrix() {
        return m;
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public float[] block(int[] rows, int[] columns) {
        return Submatrix.rows(m, n, rows, columns);
    }

    @Override
    public boolean removeColumns(Linalg linalg, int[] removed, float[] wT, float[] wqT, int outputs) {
        int q = removed.length;
        int[] kept = Submatrix.complement(removed, n);
        int r = kept.length;
        float[] sInv = block(removed, removed);
        boolean factored = linalg.invertInPlace(sInv, q);
        float[] hq = factored ? block(removed, kept) : null;
        Submatrix.keepOnly(m, n, kept, kept);
        n = r;
        if (!factored) {
            return false; // only restricted
        }
        // (H⁻¹)_RQ ((H⁻¹)_QQ)⁻¹: H⁻¹ is symmetric, so (H⁻¹)_RQ is the transpose of hq
        float[] t = linalg.multiply(Transpose.of(hq, q, r), sInv, r, q, q);
        linalg.multiplyAccumulate(m, t, hq, r, q, r, -1f);
        linalg.multiplyAccumulate(wT, t, wqT, r, q, outputs, -1f);
        return true;
    }

    /**
     * (H⁻¹)_GG on its own: what removals among G need, since the Schur complement of a set within G reads only G's
     * block; the rest of H⁻¹ and of W never enter a loss of G's columns.
     */
    public DenseInverse restrictedTo(int[] columns) {
        return new DenseInverse(block(columns, columns), columns.length);
    }

    @Override
    public DenseInverse copy() {
        return new DenseInverse(Arrays.copyOf(m, n * n), n);
    }

    @Override
    public long bytes() {
        return (long) n * n * Float.BYTES;
    }
}
