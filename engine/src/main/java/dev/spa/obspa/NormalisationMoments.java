package dev.spa.obspa;

/**
 * A LayerNorm written out as operators (x - mean(x)) / sqrt(mean((x - mean(x))²) + ε), as many exporters write it:
 * the centring over the channels and the division by the channels' root mean square at each position.
 */
final class NormalisationMoments {
    private NormalisationMoments() {
    }

    /** x − mean over the channels: P x with P = I − 11ᵀ/C, so mean P μ and covariance P Σ P. */
    static Moments centred(Moments x) {
        int n = x.channels();
        double meanOfMeans = 0;
        for (double m : x.mean()) {
            meanOfMeans += m / n;
        }
        double[] mean = new double[n];
        for (int c = 0; c < n; c++) {
            mean[c] = x.mean()[c] - meanOfMeans;
        }
        double[] rowMean = new double[n];
        double all = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                rowMean[i] += x.cov()[i * n + j] / n;
            }
            all += rowMean[i] / n;
        }
        float[] cov = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                // Σ is symmetric: the mean of column j is the mean of row j
                cov[i * n + j] = (float) (x.cov()[i * n + j] - rowMean[i] - rowMean[j] + all);
            }
        }
        return new Moments(mean, cov);
    }

    /** x divided by its root mean square over the channels, taken at its expected value E[Σ_c x_c²] / C. */
    static Moments rescaled(Moments x) {
        int n = x.channels();
        double meanSquare = 0;
        for (int c = 0; c < n; c++) {
            meanSquare += (x.var(c) + x.mean()[c] * x.mean()[c]) / n;
        }
        if (meanSquare <= 0) {
            return null;
        }
        double[] d = new double[n];
        java.util.Arrays.fill(d, 1 / Math.sqrt(meanSquare));
        double[] mean = new double[n];
        for (int c = 0; c < n; c++) {
            mean[c] = x.mean()[c] * d[c];
        }
        return new Moments(mean, Moments.scaled(x.cov(), d));
    }
}
