package dev.spa.obspa;

import dev.spa.linalg.Linalg;

/**
 * A layer's H⁻¹ as OBSPA reads and shrinks it: blocks of it (a channel's columns for its loss, the removed rows
 * for the update), and removal of columns, after which it is the inverse of H restricted to the others (the
 * remaining columns keep their order). Written out ({@link DenseInverse}) or kept in the structure of a
 * data-free Hessian ({@link KroneckerInverse}, no n x n matrix at all).
 */
public interface InverseHessian {
    /** Rows and columns present. */
    int size();

    /** (H⁻¹)_{rows, columns}, row-major rows.length x columns.length. */
    float[] block(int[] rows, int[] columns);

    /**
     * Removes these columns (distinct, ascending): what remains is ((H)_RR)⁻¹ = (H⁻¹)_RR − (H⁻¹)_RQ ((H⁻¹)_QQ)⁻¹
     * (H⁻¹)_QR; and moves the remaining weights to stand in for the removed ones, Wᵀ_R -= T Wᵀ_Q with
     * T = (H⁻¹)_RQ ((H⁻¹)_QQ)⁻¹ (remaining x removed). Returns false when (H⁻¹)_QQ cannot be factored: the inverse is
     * only restricted and the weights are left as they are.
     *
     * @param wT      the remaining rows of Wᵀ, remaining x outputs row-major, changed in place
     * @param wqT     the removed rows of Wᵀ, removed x outputs row-major
     */
    boolean removeColumns(Linalg linalg, int[] removed, float[] wT, float[] wqT, int outputs);

    /** A copy to shrink while this one stays as it is. */
    InverseHessian copy();

    /** Bytes it holds. */
    long bytes();
}
