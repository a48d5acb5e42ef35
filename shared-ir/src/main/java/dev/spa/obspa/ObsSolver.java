package dev.spa.obspa;

import dev.spa.linalg.Linalg;

/**
 * The Optimal Brain Surgeon algebra for one linear layer with weight W (rows = outputs, columns =
 * inputs) and input Hessian H: the loss of removing a set of columns Q, ½·tr(W_Q ((H⁻¹)_QQ)⁻¹ W_Qᵀ),
 * and the update of the remaining columns that minimises the layer's output change,
 * W -= W_Q ((H⁻¹)_QQ)⁻¹ (H⁻¹)_Q,:.
 */
public final class ObsSolver {
    /** Dampening tried after the requested one fails, as multiples of mean(diag H). */
    private static final int RETRIES = 6;

    private final Linalg linalg;
    private final double dampening;

    /** @param dampening added to H's diagonal, as a fraction of mean(diag H) (0.01 is the usual choice) */
    public ObsSolver(Linalg linalg, double dampening) {
        this.linalg = linalg;
        this.dampening = dampening;
    }

    /** H⁻¹ of the damped Hessian, and how it was obtained. */
    public record Inverse(float[] matrix, double lambda, boolean diagonalFallback) {
    }

    /**
     * Inverts H + λI by Cholesky, raising λ tenfold while H is not positive definite (a layer whose
     * input has dead or duplicate channels); after that, a diagonal inverse, which still scores and
     * removes but does not compensate.
     */
    public Inverse invert(float[] h, int n) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += h[i * n + i];
        }
        mean = mean > 0 && Double.isFinite(mean) ? mean / n : 1;
        double lambda = dampening * mean;
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            float[] damped = h.clone();
            for (int i = 0; i < n; i++) {
                damped[i * n + i] += (float) lambda;
            }
            float[] l = linalg.cholesky(damped, n);
            if (l != null) {
                return new Inverse(linalg.inverseFromCholesky(l, n), lambda, false);
            }
            lambda = Math.max(lambda * 10, 1e-6 * mean);
        }
        float[] diagonal = new float[n * n];
        for (int i = 0; i < n; i++) {
            double d = h[i * n + i] + lambda;
            diagonal[i * n + i] = (float) (d > 0 && Double.isFinite(d) ? 1 / d : 1 / mean);
        }
        return new Inverse(diagonal, lambda, true);
    }

    /**
     * The OBS loss of removing each set of columns on its own, as ½ Σ_ab ((H⁻¹)_QQ)⁻¹_ab G_ab with
     * G = W_Qᵀ W_Q, the sets in parallel.
     */
    public double[] losses(float[] w, int outputs, int n, float[] hinv, int[][] columnSets) {
        double[] out = new double[columnSets.length];
        java.util.stream.IntStream.range(0, columnSets.length).parallel().forEach(c -> {
            int[] q = columnSets[c];
            int k = q.length;
            double[] s = new double[k * k];
            double[] g = new double[k * k];
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    s[a * k + b] = hinv[q[a] * n + q[b]];
                }
            }
            for (int o = 0; o < outputs; o++) {
                int row = o * n;
                for (int a = 0; a < k; a++) {
                    double wa = w[row + q[a]];
                    if (wa != 0) {
                        for (int b = 0; b <= a; b++) {
                            g[a * k + b] += wa * w[row + q[b]];
                        }
                    }
                }
            }
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < a; b++) {
                    g[b * k + a] = g[a * k + b];
                }
            }
            out[c] = 0.5 * SmallSpd.factor(s, k).traceOfInverseTimes(g);
        });
        return out;
    }

    /**
     * Removes columns {@code removed} (sets them to zero) and updates the others so the output
     * moves as little as possible; returns false (plain removal) when (H⁻¹)_QQ cannot be factored.
     */
    public boolean compensate(float[] w, int outputs, int n, float[] hinv, int[] removed) {
        return remove(w, outputs, n, hinv, removed, false);
    }

    /**
     * As {@link #compensate}, and also downdates H⁻¹ to the inverse Hessian of the remaining
     * columns (H⁻¹ -= (H⁻¹)_:,Q ((H⁻¹)_QQ)⁻¹ (H⁻¹)_Q,:), so removals can go on one after another.
     */
    public boolean removeAndDowndate(float[] w, int outputs, int n, float[] hinv, int[] removed) {
        return remove(w, outputs, n, hinv, removed, true);
    }

    private boolean remove(float[] w, int outputs, int n, float[] hinv, int[] removed, boolean downdate) {
        int q = removed.length;
        if (q == 0) {
            return true;
        }
        float[] s = new float[q * q];
        for (int a = 0; a < q; a++) {
            for (int b = 0; b < q; b++) {
                s[a * q + b] = hinv[removed[a] * n + removed[b]];
            }
        }
        float[] l = linalg.cholesky(s, q);
        boolean solved = l != null;
        if (solved) {
            float[] sInv = linalg.inverseFromCholesky(l, q);
            float[] hq = new float[q * n];
            for (int a = 0; a < q; a++) {
                System.arraycopy(hinv, removed[a] * n, hq, a * n, n);
            }
            float[] wq = new float[outputs * q];
            for (int o = 0; o < outputs; o++) {
                for (int a = 0; a < q; a++) {
                    wq[o * q + a] = w[o * n + removed[a]];
                }
            }
            linalg.multiplyAccumulate(w, linalg.multiply(wq, sInv, outputs, q, q), hq, outputs, q, n, -1f);
            if (downdate) {
                // H⁻¹ is symmetric, so (H⁻¹)_:,Q is the transpose of hq
                float[] hqT = new float[n * q];
                for (int a = 0; a < q; a++) {
                    for (int i = 0; i < n; i++) {
                        hqT[i * q + a] = hq[a * n + i];
                    }
                }
                linalg.multiplyAccumulate(hinv, linalg.multiply(hqT, sInv, n, q, q), hq, n, q, n, -1f);
            }
        }
        for (int o = 0; o < outputs; o++) {
            for (int r : removed) {
                w[o * n + r] = 0f;
            }
        }
        if (downdate) {
            for (int r : removed) {
                for (int i = 0; i < n; i++) {
                    hinv[r * n + i] = 0f;
                    hinv[i * n + r] = 0f;
                }
            }
        }
        return solved;
    }

    /** tr(W H Wᵀ): the layer's output energy over the rows in H, to make losses of different layers comparable. */
    public double energy(float[] w, int outputs, int n, float[] h) {
        float[] wh = linalg.multiply(w, h, outputs, n, n);
        double e = 0;
        for (int i = 0; i < wh.length; i++) {
            e += (double) wh[i] * w[i];
        }
        return e;
    }
}
