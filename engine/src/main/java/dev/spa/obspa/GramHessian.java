package dev.spa.obspa;

import dev.spa.linalg.Linalg;

/** H = Σ x xᵀ over a layer's unfolded inputs, accumulated batch by batch, and how many rows went in. */
public final class GramHessian implements LayerHessian {
    private final int n;
    private final float[] sum;
    private long rows;
    /** H's diagonal before any dampening was written onto it. */
    private double[] diagonal;

    public GramHessian(int n) {
        this(n, new float[n * n], 0);
    }

    private GramHessian(int n, float[] sum, long rows) {
        this.n = n;
        this.sum = sum;
        this.rows = rows;
    }

    /** A Hessian that is this matrix (not a copy: it is inverted in place). */
    static GramHessian of(int n, float[] matrix) {
        return new GramHessian(n, matrix, 1);
    }

    public void add(Linalg linalg, float[] chunk, int count) {
        linalg.accumulateGram(sum, n, chunk, count);
        rows += count;
    }

    /** Multiplies the accumulated sum by {@code factor} (rows sampled standing for all of them). */
    void scale(double factor) {
        if (factor == 1) {
            return;
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] = (float) (sum[i] * factor);
        }
        diagonal = null;
    }

    @Override
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

    @Override
    public double[] diagonal() {
        if (diagonal == null) {
            diagonal = new double[n];
            for (int i = 0; i < n; i++) {
                diagonal[i] = sum[i * n + i];
            }
        }
        return diagonal.clone();
    }

    @Override
    public double energy(Linalg linalg, float[] w, int outputs) {
        float[] wh = linalg.multiply(w, sum, outputs, n, n);
        double e = 0;
        for (int i = 0; i < wh.length; i++) {
            e += (double) wh[i] * w[i];
        }
        return e;
    }

    /** Inverts in place: on success the accumulated matrix is the inverse; on failure only its diagonal changed. */
    @Override
    public DenseInverse dampedInverse(Linalg linalg, double lambda) {
        double[] d = diagonal();
        for (int i = 0; i < n; i++) {
            sum[i * n + i] = (float) (d[i] + lambda);
        }
        NegligibleEntries.zero(sum, n);
        return linalg.invertInPlace(sum, n) ? new DenseInverse(sum, n) : null;
    }
}
