package dev.spa.obspa;

/**
 * The moments of positions drawn from several parts in proportion to their weights (tokens joined along the token
 * axis): mean Σ w_i μ_i, covariance Σ w_i (Σ_i + μ_i μ_iᵀ) − μ μᵀ.
 */
final class Mixture {
    private Mixture() {
    }

    static Moments of(Moments[] parts, double[] weights) {
        int n = parts[0].channels();
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double[] mean = new double[n];
        double[] second = new double[n * n];
        for (int p = 0; p < parts.length; p++) {
            double w = weights[p] / total;
            Moments m = parts[p];
            for (int i = 0; i < n; i++) {
                mean[i] += w * m.mean()[i];
                for (int j = 0; j < n; j++) {
                    second[i * n + j] += w * (m.cov()[i * n + j] + m.mean()[i] * m.mean()[j]);
                }
            }
        }
        float[] cov = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                cov[i * n + j] = (float) (second[i * n + j] - mean[i] * mean[j]);
            }
        }
        return new Moments(mean, cov);
    }
}
