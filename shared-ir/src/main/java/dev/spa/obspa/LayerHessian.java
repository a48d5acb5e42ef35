package dev.spa.obspa;

import dev.spa.linalg.Linalg;

/** H = Σ x xᵀ over a layer's unfolded inputs, accumulated batch by batch, and how many rows went in. */
public final class LayerHessian {
    private final int n;
    private final float[] sum;
    private long rows;

    public LayerHessian(int n) {
        this(n, new float[n * n], 0);
    }

    private LayerHessian(int n, float[] sum, long rows) {
        this.n = n;
        this.sum = sum;
        this.rows = rows;
    }

    /**
     * From a known second-moment matrix E[x xᵀ] standing for {@code rows} rows (data-free sources). The
     * matrix becomes the Hessian's own (scaled in place, not copied: it can be hundreds of MB).
     */
    public static LayerHessian ofMoments(int n, float[] moments, long rows) {
        if (rows != 1) {
            for (int i = 0; i < moments.length; i++) {
                moments[i] = (float) (moments[i] * (double) rows);
            }
        }
        return new LayerHessian(n, moments, rows);
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
