package dev.spa.obspa;

import dev.spa.linalg.Transpose;

import java.util.Arrays;

/**
 * One consumer layer's working copy during greedy removal: its weights (transposed, so each input column
 * is a contiguous row: what the per-channel losses read, and what shrinks as columns go) and inverse Hessian
 * restricted to the input columns still present. Each removal works on matrices of the size
 * that remains rather than the layer's full width, so the downdates of a whole removal order cost about
 * a third of the arithmetic and a fraction of the memory traffic of downdating full-size matrices with
 * zeroed rows (for a 4608-column H⁻¹, 85 MB moved per step at first, shrinking by 1/32 each step).
 */
final class ShrinkingLayer {
    private final LinearLayer layer;
    private final float[] wT;
    private final InverseHessian hinv;
    /** Original column -> index among the present columns, -1 once removed. */
    private final int[] index;
    private final double lossScale;
    private int present;

    /**
     * @param w       the layer's matrix as {@link LinearLayer#matrix} lays it out
     * @param working its H⁻¹, which this working copy shrinks, over all the layer's columns or only some: then only
     *                those columns of W are held and only they can be scored and removed
     */
    ShrinkingLayer(LinearLayer layer, float[] w, InverseStore.Working working, double lossScale) {
        this.layer = layer;
        int n = layer.hessianColumns();
        int[] columns = working.columns();
        // only the held columns are transposed: DenseNet's layers read up to 1024 channels, a group 32 of them
        float[] held = columns.length == n ? w : Submatrix.rows(w, n, Submatrix.allOf(layer.outputs()), columns);
        this.wT = Transpose.of(held, layer.outputs(), columns.length);
        this.hinv = working.inverse();
        hinv.toWorkingBasis(wT, layer.outputs()); // scores only: the working copy is never turned back
        this.lossScale = lossScale;
        this.present = columns.length;
        this.index = new int[n];
        Arrays.fill(index, -1);
        for (int i = 0; i < columns.length; i++) {
            index[columns[i]] = i;
        }
    }

    /** The OBS loss of removing each set of original columns on its own, over the layer's loss scale. */
    double[] scaledLosses(int[][] originalSets) {
        int[][] sets = new int[originalSets.length][];
        for (int i = 0; i < sets.length; i++) {
            sets[i] = present(originalSets[i]);
        }
        double[] losses = hinv.losses(wT, layer.outputs(), sets);
        for (int i = 0; i < losses.length; i++) {
            losses[i] /= lossScale;
        }
        return losses;
    }

    /** Removes these original columns, compensating the rest and shrinking both matrices. */
    void remove(ObsSolver solver, int[] originalColumns) {
        int[] q = present(originalColumns);
        Arrays.sort(q);
        solver.removeAndShrink(wT, layer.outputs(), hinv, q);
        for (int c : originalColumns) {
            index[c] = -1;
        }
        int next = 0;
        for (int c = 0; c < index.length; c++) {
            if (index[c] >= 0) {
                index[c] = next++;
            }
        }
        present = next;
    }

    private int[] present(int[] originalColumns) {
        int[] out = new int[originalColumns.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = index[originalColumns[i]];
            if (out[i] < 0) {
                throw new IllegalStateException("column " + originalColumns[i] + " of " + layer.node().name() + " was removed or is not held");
            }
        }
        return out;
    }
}
