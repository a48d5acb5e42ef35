package dev.spa.obspa;

import dev.spa.linalg.Linalg;
import dev.spa.linalg.Transpose;

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
    public record Inverse(float[] matrix, double lambda, boolean diagonalFallback) {
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
            float[] inverse = h.dampedInverse(linalg, lambda);
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
        return lossesFromTransposed(Transpose.of(w, outputs, n), outputs, n, hinv, columnSets);
    }

    /** As {@link #losses}, given Wᵀ (n x outputs: each column of W a contiguous row). */
    public double[] lossesFromTransposed(float[] wT, int outputs, int n, float[] hinv, int[][] columnSets) {
        double[] out = new double[columnSets.length];
        java.util.stream.IntStream.range(0, columnSets.length).parallel().forEach(c -> {
            int[] q = columnSets[c];
            int k = q.length;
            double[] s = new double[k * k];
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    s[a * k + b] = hinv[q[a] * n + q[b]];
                }
            }
            double[] g = columnGram(wT, outputs, q);
            out[c] = 0.5 * SmallSpd.factor(s, k).traceOfInverseTimes(g);
        });
        return out;
    }

    /**
     * G = W_Qᵀ W_Q in double from Wᵀ, where each column of W is a contiguous row: each entry is one dot
     * product over the outputs with its partial sums in registers. This runs for every channel at every
     * greedy step; gathering a channel's columns straight from W instead reads one cache line (and one
     * page) per output and was the largest Java cost of scoring.
     */
    private static double[] columnGram(float[] wT, int outputs, int[] q) {
        int k = q.length;
        double[] g = new double[k * k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b <= a; b++) {
                double dot = dot(wT, q[a] * outputs, q[b] * outputs, outputs);
                g[a * k + b] = dot;
                g[b * k + a] = dot;
            }
        }
        return g;
    }

    private static double dot(float[] v, int x, int y, int length) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            s0 += (double) v[x + i] * v[y + i];
            s1 += (double) v[x + i + 1] * v[y + i + 1];
            s2 += (double) v[x + i + 2] * v[y + i + 2];
            s3 += (double) v[x + i + 3] * v[y + i + 3];
        }
        for (; i < length; i++) {
            s0 += (double) v[x + i] * v[y + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Removes columns {@code removed} (sets them to zero) and updates the others so the output
     * moves as little as possible; returns false (plain removal) when (H⁻¹)_QQ cannot be factored.
     */
    public boolean compensate(float[] w, int outputs, int n, float[] hinv, int[] removed) {
        if (removed.length == 0) {
            return true;
        }
        float[] sInv = blockInverse(hinv, n, removed);
        if (sInv != null) {
            int q = removed.length;
            float[] x = linalg.multiply(rows(w, n, allOf(outputs), removed), sInv, outputs, q, q);
            // W -= X (H⁻¹)_Q,: a block of Q's rows at a time: (H⁻¹)_Q,: whole is q x n (42 MB when a 4608-column
            // layer loses half its columns), on top of H⁻¹ itself
            for (int from = 0; from < q; from += COMPENSATION_ROWS) {
                int[] block = java.util.stream.IntStream.range(from, Math.min(q, from + COMPENSATION_ROWS)).toArray();
                float[] hBlock = rows(hinv, n, java.util.Arrays.copyOfRange(removed, from, from + block.length), allOf(n));
                linalg.multiplyAccumulate(w, rows(x, q, allOf(outputs), block), hBlock, outputs, block.length, n, -1f);
            }
        }
        for (int o = 0; o < outputs; o++) {
            for (int r : removed) {
                w[o * n + r] = 0f;
            }
        }
        return sInv != null;
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
        int q = removed.length;
        if (q == 0) {
            return true;
        }
        int[] kept = complement(removed, n);
        int m = kept.length;
        float[] sInv = blockInverse(hinv, n, removed);
        float[] hq = sInv == null ? null : rows(hinv, n, removed, kept);
        float[] wqT = sInv == null ? null : rows(wT, outputs, removed, allOf(outputs));
        keepOnly(wT, outputs, kept, allOf(outputs));
        keepOnly(hinv, n, kept, kept);
        if (sInv == null) {
            return false;
        }
        // (H⁻¹)_RQ ((H⁻¹)_QQ)⁻¹ (H⁻¹ is symmetric, so (H⁻¹)_RQ is the transpose of hq) moves both matrices
        float[] t = linalg.multiply(Transpose.of(hq, q, m), sInv, m, q, q);
        linalg.multiplyAccumulate(wT, t, wqT, m, q, outputs, -1f);
        linalg.multiplyAccumulate(hinv, t, hq, m, q, m, -1f);
        return true;
    }

    /** ((H⁻¹)_QQ)⁻¹, or null when that block is not positive definite. */
    private float[] blockInverse(float[] hinv, int n, int[] removed) {
        int q = removed.length;
        float[] s = new float[q * q];
        for (int a = 0; a < q; a++) {
            for (int b = 0; b < q; b++) {
                s[a * q + b] = hinv[removed[a] * n + removed[b]];
            }
        }
        return linalg.invertInPlace(s, q) ? s : null;
    }

    /** The rows of a row-major matrix with {@code width} columns, restricted to the given columns. */
    private static float[] rows(float[] a, int width, int[] rows, int[] columns) {
        float[] out = new float[rows.length * columns.length];
        for (int r = 0; r < rows.length; r++) {
            int from = rows[r] * width;
            int to = r * columns.length;
            for (int c = 0; c < columns.length; c++) {
                out[to + c] = a[from + columns[c]];
            }
        }
        return out;
    }

    /**
     * Compacts a row-major matrix with {@code width} columns in place to the given rows and columns (both ascending):
     * every element moves to an index no larger than its own, so a forward pass never overwrites one it
     * has yet to read. Columns are copied in contiguous runs (a channel's kh*kw columns, and the channels
     * between two removed ones, are one run).
     */
    private static void keepOnly(float[] a, int width, int[] rows, int[] columns) {
        int[] runStart = new int[columns.length];
        int[] runLength = new int[columns.length];
        int runs = 0;
        for (int c = 0; c < columns.length; c++) {
            if (c > 0 && columns[c] == columns[c - 1] + 1) {
                runLength[runs - 1]++;
            } else {
                runStart[runs] = columns[c];
                runLength[runs++] = 1;
            }
        }
        int to = 0;
        for (int r : rows) {
            int from = r * width;
            for (int i = 0; i < runs; i++) {
                System.arraycopy(a, from + runStart[i], a, to, runLength[i]);
                to += runLength[i];
            }
        }
    }

    private static int[] complement(int[] sortedRemoved, int n) {
        int[] kept = new int[n - sortedRemoved.length];
        for (int i = 0, r = 0, k = 0; i < n; i++) {
            if (r < sortedRemoved.length && sortedRemoved[r] == i) {
                r++;
            } else {
                kept[k++] = i;
            }
        }
        return kept;
    }

    private static int[] allOf(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }
}
