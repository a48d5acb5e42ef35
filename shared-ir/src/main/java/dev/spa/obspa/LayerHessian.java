package dev.spa.obspa;

import dev.spa.linalg.Linalg;

/** H = Σ x xᵀ over a layer's unfolded inputs, accumulated batch by batch, and how many rows went in. */
public final class LayerHessian {
    private final int n;
    private final float[] sum;
    private long rows;

    public LayerHessian(int n) {
        this.n = n;
        this.sum = new float[n * n];
    }

    /** From a known second-moment matrix E[x xᵀ] standing for {@code rows} rows (data-free sources). */
    public static LayerHessian ofMoments(int n, float[] moments, long rows) {
        LayerHessian h = new LayerHessian(n);
        for (int i = 0; i < moments.length; i++) {
            h.sum[i] = (float) (moments[i] * (double) rows);
        }
        h.rows = rows;
        return h;
    }

    public void add(Linalg linalg, float[] chunk, int count) {
        linalg.accumulateGram(sum, n, chunk, count);
        rows += count;
    }

    public int size() {
        return n;
    }

    public long rows() {
        return rows;
    }

    /** The accumulated Σ x xᵀ (not a copy). */
    public float[] matrix() {
        return sum;
    }
}
