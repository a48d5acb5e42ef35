package dev.spa.obspa;

import dev.spa.linalg.Linalg;
import dev.spa.linalg.Transpose;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The Optimal Brain Surgeon algebra for one linear layer with weight W (rows = outputs, columns =
 * inputs) and input Hessian H: the loss of removing a set of columns Q, ½·tr(W_Q ((H⁻¹)_QQ)⁻¹ W_Qᵀ),
 * and the update of the remaining columns that minimises the layer's output change,
 * W -= W_Q ((H⁻¹)_QQ)⁻¹ (H⁻¹)_Q,:.
 */
public final class ObsSolver {
    /** Dampening tried after the requested one fails, as multiples of mean(diag H). */
    private static final int RETRIES = 6;
    /** Rows of (H⁻¹)_Q,: gathered at once by {@link #compensate}: a rank-256 update still runs at GEMM speed. */
    private static final int COMPENSATION_ROWS = 256;

    private final Linalg linalg;
    private final double dampening;

    /** @param dampening added to H's diagonal, as a fraction of mean(diag H) (0.01 is the usual choice) */
    public ObsSolver(Linalg linalg, double dampening) {
        this.linalg = linalg;
        this.dampening = dampening;
    }

    Linalg linalg() {
        return linalg;
    }

    /** H⁻¹ of the damped Hessian, and how it was obtained. */
    public record Inverse(InverseHessian value, double lambda, boolean diagonalFallback) {
        public Inverse(float[] matrix, double lambda, boolean diagonalFallback) {
            this(new DenseInverse(matrix, (int) Math.round(Math.sqrt(matrix.length))), lambda, diagonalFallback);
        }

        /** The written-out matrix of a dense inverse (what {@link #invert(float[], int)} gives). */
        public float[] matrix() {
            if (value instanceof DenseInverse dense) {
                return dense.matrix();
            }
            throw new IllegalStateException("a structured inverse is not written out");
        }
    }

    /** {@link #invert(LayerHessian)} of a dense H, which is left as it was. */
    public Inverse invert(float[] h, int n) {
        return invertInPlace(h.clone(), n);
    }

    /** As {@link #invert}, overwriting H with the inverse (for a caller that no longer needs H: one n x n array, not two). */
    public Inverse invertInPlace(float[] h, int n) {
        return invert(GramHessian.of(n, h));
    }

    /**
     * (H + λI)⁻¹ with λ the requested dampening, raised tenfold while H + λI is not positive definite (a layer
     * whose input has dead or duplicate channels); after that, a diagonal inverse, which still scores and
     * removes but does not compensate. The Hessian may be used up (see {@link LayerHessian#dampedInverse}).
     */
    public Inverse invert(LayerHessian h) {
        int n = h.size();
        double[] diagonal = h.diagonal();
        double mean = 0;
        for (double d : diagonal) {
            mean += d;
        }
        mean = mean > 0 && Double.isFinite(mean) ? mean / n : 1;
        double lambda = dampening * mean;
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            InverseHessian inverse = h.dampedInverse(linalg, lambda);
            if (inverse != null) {
                return new Inverse(inverse, lambda, false);
            }
            lambda = Math.max(lambda * 10, 1e-6 * mean);
        }
        float[] inverse = new float[n * n];
        for (int i = 0; i < n; i++) {
            double d = diagonal[i] + lambda;
            inverse[i * n + i] = (float) (d > 0 && Double.isFinite(d) ? 1 / d : 1 / mean);
        }
        return new Inverse(inverse, lambda, true);
    }

    /**
     * The OBS loss of removing each set of columns on its own, as ½ Σ_ab ((H⁻¹)_QQ)⁻¹_ab G_ab with
     * G = W_Qᵀ W_Q, the sets in parallel.
     */
    public double[] losses(float[] w, int outputs, int n, float[] hinv, int[][] columnSets) {
        return losses(w, outputs, new DenseInverse(hinv, n), columnSets);
    }

    /** As {@link #losses(float[], int, int, float[], int[][])}, from an inverse in any form. */
    public double[] losses(float[] w, int outputs, InverseHessian hinv, int[][] columnSets) {
        float[] wT = Transpose.of(w, outputs, hinv.size());
        hinv.toWorkingBasis(wT, outputs);
        return hinv.losses(wT, outputs, columnSets);
    }

    /**
     * Removes columns {@code removed} (sets them to zero) and updates the others so the output
     * moves as little as possible; returns false (plain removal) when (H⁻¹)_QQ cannot be factored.
     */
    public boolean compensate(float[] w, int outputs, int n, float[] hinv, int[] removed) {
        return compensate(w, outputs, new DenseInverse(hinv, n), removed);
    }

    /** As {@link #compensate(float[], int, int, float[], int[])}, from an inverse in any form (left as it is). */
    public boolean compensate(float[] w, int outputs, InverseHessian hinv, int[] removed) {
        // the dense path only reads the inverse; the structured one removes from it
        return compensateUsingUp(w, outputs, hinv instanceof DenseInverse ? hinv : hinv.copy(), removed);
    }

    /**
     * As {@link #compensate(float[], int, int, float[], int[])}, from an inverse the caller no longer needs: a
     * structured one is shrunk by the removal instead of copied first.
     */
    public boolean compensateUsingUp(float[] w, int outputs, InverseHessian hinv, int[] removed) {
        if (removed.length == 0) {
            return true;
        }
        return hinv instanceof DenseInverse dense ? compensateDense(w, outputs, dense, removed) : compensateByRemoval(w, outputs, hinv, removed);
    }

    /**
     * The greedy step ({@link #removeAndShrink}) on the inverse, which it shrinks, and Wᵀ: a structured inverse's
     * removal never writes out (H⁻¹)_QQ (half a layer's columns at a time here); Wᵀ is the layer's size, where T
     * transposed for W would be kept x removed.
     */
    private boolean compensateByRemoval(float[] w, int outputs, InverseHessian hinv, int[] removed) {
        int n = hinv.size();
        int[] kept = Submatrix.complement(removed, n);
        float[] wT = Transpose.of(w, outputs, n);
        hinv.toWorkingBasis(wT, outputs);
        boolean compensated = removeAndShrink(wT, outputs, hinv, removed);
        hinv.fromWorkingBasis(wT, outputs);
        for (int c = 0; c < kept.length; c++) {
            for (int o = 0; o < outputs; o++) {
                w[o * n + kept[c]] = wT[c * outputs + o];
            }
        }
        zeroColumns(w, outputs, n, removed);
        return compensated;
    }

    /** W -= W_Q ((H⁻¹)_QQ)⁻¹ (H⁻¹)_Q,: over every column, then the removed ones set to zero. */
    private boolean compensateDense(float[] w, int outputs, DenseInverse hinv, int[] removed) {
        int n = hinv.size();
        float[] sInv = hinv.block(removed, removed);
        if (!linalg.invertInPlace(sInv, removed.length)) {
            sInv = null;
        }
        if (sInv != null) {
            int q = removed.length;
            float[] x = linalg.multiply(Submatrix.rows(w, n, Submatrix.allOf(outputs), removed), sInv, outputs, q, q);
            // W -= X (H⁻¹)_Q,: a block of Q's rows at a time: (H⁻¹)_Q,: whole is q x n (42 MB when a 4608-column
            // layer loses half its columns), on top of H⁻¹ itself
            for (int from = 0; from < q; from += COMPENSATION_ROWS) {
                int[] block = IntStream.range(from, Math.min(q, from + COMPENSATION_ROWS)).toArray();
                float[] hBlock = hinv.block(Arrays.copyOfRange(removed, from, from + block.length), Submatrix.allOf(n));
                linalg.multiplyAccumulate(w, Submatrix.rows(x, q, Submatrix.allOf(outputs), block), hBlock, outputs, block.length, n, -1f);
            }
        }
        zeroColumns(w, outputs, n, removed);
        return sInv != null;
    }

    private static void zeroColumns(float[] w, int outputs, int n, int[] columns) {
        for (int o = 0; o < outputs; o++) {
            for (int c : columns) {
                w[o * n + c] = 0f;
            }
        }
    }

    /**
     * As {@link #compensate} on Wᵀ (n x outputs), then drops the removed columns: Wᵀ becomes (n - q) x
     * outputs and H⁻¹ becomes the inverse Hessian of the remaining columns, (H⁻¹)_RR - (H⁻¹)_RQ
     * ((H⁻¹)_QQ)⁻¹ (H⁻¹)_QR (a Schur complement: exactly ((H)_RR)⁻¹), so removals can go on one after
     * another on ever smaller matrices. Both shrink in place: the result is the leading (n - q) rows of
     * {@code wT} and the leading (n - q)² of {@code hinv}, the remaining columns in their original order.
     * {@code removed} must be distinct and ascending. Returns false when (H⁻¹)_QQ cannot be factored: the
     * columns are dropped without compensation and H⁻¹ is only restricted.
     */
    public boolean removeAndShrink(float[] wT, int outputs, int n, float[] hinv, int[] removed) {
        return removeAndShrink(wT, outputs, new DenseInverse(hinv, n), removed);
    }

    /**
     * As {@link #removeAndShrink(float[], int, int, float[], int[])}, with an inverse in any form, shrunk in place, and
     * Wᵀ in its working basis ({@link InverseHessian#toWorkingBasis}).
     */
    public boolean removeAndShrink(float[] wT, int outputs, InverseHessian hinv, int[] removed) {
        if (removed.length == 0) {
            return true;
        }
        int[] kept = Submatrix.complement(removed, hinv.size());
        float[] wqT = Submatrix.rows(wT, outputs, removed, Submatrix.allOf(outputs));
        Submatrix.keepOnly(wT, outputs, kept, Submatrix.allOf(outputs));
        // Wᵀ_R -= (H⁻¹)_RQ ((H⁻¹)_QQ)⁻¹ Wᵀ_Q: the remaining columns take over what the removed ones did
        return hinv.removeColumns(linalg, removed, wT, wqT, outputs);
    }
}
