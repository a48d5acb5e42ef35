package dev.spa.obspa;

import dev.spa.linalg.Linalg;

/**
 * A data-free layer Hessian in the form it is built in: over a patch of C channels x k positions (plus the
 * bias's constant 1), E[x xᵀ] = m mᵀ + Σ ⊗ R, with m the means (a channel's mean at each of its positions, 1 for
 * the bias), Σ the channel covariance and R the spatial correlation of the patch's positions. Written out it
 * is (C·k)² floats whose inverse costs (C·k)³ (a 4608-column layer: 85 MB and about a second of the CPU's
 * peak); kept as it is, with R = Σ_g γ_g v_g v_gᵀ:
 * <pre>
 *   (Σ ⊗ R + λI)⁻¹ = Σ_g (γ_g Σ + λI)⁻¹ ⊗ v_g v_gᵀ       (k inverses of C x C: k·C³)
 * </pre>
 * and m mᵀ is added back by Sherman–Morrison ({@link KroneckerInverse}, which never writes the inverse out either).
 * The energy tr(W H Wᵀ) needs k products of C x C too.
 */
final class KroneckerHessian implements LayerHessian {
    private final int channels;
    private final int positions;
    private final boolean bias;
    private final double[] channelMean;
    private final float[] cov;
    private final double[] correlation;
    private final SymmetricEigen spatial;

    /**
     * @param channelMean each channel's mean (length C)
     * @param cov         the channel covariance, C x C row-major
     * @param correlation the positions' correlation, k x k row-major (k = 1 for a Gemm)
     * @param bias        whether a constant-1 column follows the C·k weight columns
     */
    KroneckerHessian(double[] channelMean, float[] cov, double[] correlation, int positions, boolean bias) {
        this.channels = channelMean.length;
        this.positions = positions;
        this.bias = bias;
        this.channelMean = channelMean;
        this.cov = cov;
        this.correlation = correlation;
        this.spatial = SymmetricEigen.of(correlation, positions);
    }

    @Override
    public int size() {
        return weightColumns() + (bias ? 1 : 0);
    }

    private int weightColumns() {
        return channels * positions;
    }

    /** Column i's mean. */
    private double mean(int i) {
        return i < weightColumns() ? channelMean[i / positions] : 1;
    }

    @Override
    public double[] diagonal() {
        double[] d = new double[size()];
        for (int i = 0; i < d.length; i++) {
            double m = mean(i);
            d[i] = m * m + (i < weightColumns() ? cov[(i / positions) * (channels + 1)] * correlation[(i % positions) * (positions + 1)] : 0);
        }
        return d;
    }

    /** H written out, entry by entry: what the structure stands for (for one position, what is inverted). */
    float[] dense() {
        int n = size();
        int k = weightColumns();
        float[] h = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i < k && j < k
                        ? cov[(i / positions) * channels + j / positions] * correlation[(i % positions) * positions + j % positions] : 0;
                h[i * n + j] = (float) (mean(i) * mean(j) + s);
            }
        }
        return h;
    }

    /** ‖W m‖² + Σ_g γ_g tr(Z_g Σ Z_gᵀ), with Z_g (outputs x C) each output's weights at channel c projected on v_g. */
    @Override
    public double energy(Linalg linalg, float[] w, int outputs) {
        int n = size();
        double e = 0;
        for (int o = 0; o < outputs; o++) {
            double wm = 0;
            for (int i = 0; i < n; i++) {
                wm += w[o * n + i] * mean(i);
            }
            e += wm * wm;
        }
        for (int g = 0; g < positions; g++) {
            double gamma = spatial.value(g);
            if (gamma <= 0) {
                continue;
            }
            float[] z = new float[outputs * channels];
            for (int o = 0; o < outputs; o++) {
                for (int c = 0; c < channels; c++) {
                    double s = 0;
                    for (int a = 0; a < positions; a++) {
                        s += w[o * n + c * positions + a] * spatial.vector(g, a);
                    }
                    z[o * channels + c] = (float) s;
                }
            }
            float[] zs = linalg.multiply(z, cov, outputs, channels, channels);
            double t = 0;
            for (int i = 0; i < z.length; i++) {
                t += (double) z[i] * zs[i];
            }
            e += gamma * t;
        }
        return e;
    }

    /**
     * The structured inverse for patches of several positions; for one position (a Gemm, a 1x1 Conv) the structure
     * saves nothing, and the written-out inverse, the same size as its one C x C factor, shrinks with less work.
     */
    @Override
    public InverseHessian dampedInverse(Linalg linalg, double lambda) {
        if (positions == 1) {
            return GramHessian.of(size(), dense()).dampedInverse(linalg, lambda);
        }
        float[][] perEigen = new float[positions][];
        for (int g = 0; g < positions; g++) {
            perEigen[g] = dampedChannelInverse(linalg, Math.max(0, spatial.value(g)), lambda);
            if (perEigen[g] == null) {
                return null;
            }
        }
        double[] vectors = new double[positions * positions];
        for (int a = 0; a < positions; a++) {
            for (int g = 0; g < positions; g++) {
                vectors[a * positions + g] = spatial.vector(g, a);
            }
        }
        return new KroneckerInverse(perEigen, vectors, channelMean, positions, bias, lambda);
    }

    /** (γ Σ + λI)⁻¹, or null when it is not positive definite. */
    private float[] dampedChannelInverse(Linalg linalg, double gamma, double lambda) {
        float[] a = new float[channels * channels];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (gamma * cov[i]);
        }
        for (int c = 0; c < channels; c++) {
            a[c * channels + c] += (float) lambda;
        }
        NegligibleEntries.zero(a, channels);
        return linalg.invertInPlace(a, channels) ? a : null;
    }
}
