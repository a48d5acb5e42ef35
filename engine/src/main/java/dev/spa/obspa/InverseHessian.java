package dev.spa.obspa;

import dev.spa.linalg.Linalg;
import java.util.stream.IntStream;

/**
 * A layer's H⁻¹ as OBSPA reads and shrinks it: blocks of it (a channel's columns for its loss, the removed rows
 * for the update), and removal of columns, after which it is the inverse of H restricted to the others (the
 * remaining columns keep their order). Written out ({@link DenseInverse}) or kept in the structure of a
 * data-free Hessian ({@link KroneckerInverse}, no n x n matrix at all).
 */
public interface InverseHessian {
    /** Rows and columns present. */
    int size();

    /** (H⁻¹)_{rows, columns}, row-major rows.length x columns.length, in the columns' own basis. */
    float[] block(int[] rows, int[] columns);

    /**
     * Turns the rows of Wᵀ (one per present column) into the basis that {@link #losses} and {@link #removeColumns}
     * work in; an orthonormal change within each removable set of columns, so losses and updates are the same
     * numbers. The columns' own basis unless an inverse says otherwise.
     */
    default void toWorkingBasis(float[] wT, int outputs) {
    }

    /** The inverse of {@link #toWorkingBasis} for the rows of the columns present now. */
    default void fromWorkingBasis(float[] wT, int outputs) {
    }

    /**
     * The OBS loss of removing each set of columns on its own, ½ tr(((H⁻¹)_QQ)⁻¹ W_Qᵀ W_Q), the sets in parallel; Wᵀ
     * in the working basis. Here from each set's block of H⁻¹ and its columns' Gram matrix.
     */
    default double[] losses(float[] wT, int outputs, int[][] columnSets) {
        double[] out = new double[columnSets.length];
        IntStream.range(0, columnSets.length).parallel().forEach(c -> {
            int[] q = columnSets[c];
            int k = q.length;
            float[] block = block(q, q);
            double[] s = new double[k * k];
            for (int i = 0; i < s.length; i++) {
                s[i] = block[i];
            }
            out[c] = 0.5 * SmallSpd.factor(s, k).traceOfInverseTimes(ColumnGram.of(wT, outputs, q));
        });
        return out;
    }

    /**
     * Removes these columns (distinct, ascending): what remains is ((H)_RR)⁻¹ = (H⁻¹)_RR − (H⁻¹)_RQ ((H⁻¹)_QQ)⁻¹
     * (H⁻¹)_QR; and moves the remaining weights to stand in for the removed ones, Wᵀ_R -= T Wᵀ_Q with
     * T = (H⁻¹)_RQ ((H⁻¹)_QQ)⁻¹ (remaining x removed). Returns false when (H⁻¹)_QQ cannot be factored: the inverse is
     * only restricted and the weights are left as they are.
     *
     * @param wT      the remaining rows of Wᵀ in the working basis, remaining x outputs row-major, changed in place
     * @param wqT     the removed rows of Wᵀ in the working basis, removed x outputs row-major
     */
    boolean removeColumns(Linalg linalg, int[] removed, float[] wT, float[] wqT, int outputs);

    /** A copy to shrink while this one stays as it is. */
    InverseHessian copy();

    /** Bytes it holds. */
    long bytes();
}
