package dev.spa.obspa;

import java.util.Arrays;

/**
 * First and second moments of an activation's channels, the data-free stand-in for its values:
 * per-channel means and the channel covariance at one position (C x C, row-major). The channel
 * axis is axis 1 of a 4-D (N, C, H, W) value and the last axis otherwise.
 */
record Moments(double[] mean, float[] cov) {
    static Moments constant(int channels, double mean, double var) {
        double[] m = new double[channels];
        Arrays.fill(m, mean);
        float[] c = new float[channels * channels];
        for (int i = 0; i < channels; i++) {
            c[i * channels + i] = (float) var;
        }
        return new Moments(m, c);
    }

    int channels() {
        return mean.length;
    }

    double var(int c) {
        return Math.max(0, cov[c * mean.length + c]);
    }

    /** The same moments with the channels' covariances dropped (channels taken as independent). */
    Moments diagonal() {
        int n = channels();
        float[] c = new float[n * n];
        for (int i = 0; i < n; i++) {
            c[i * n + i] = cov[i * n + i];
        }
        return new Moments(mean, c);
    }

    /** D Σ D for a diagonal D given by its entries, the mean left to the caller. */
    static float[] scaled(float[] cov, double[] d) {
        int n = d.length;
        float[] out = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = (float) (d[i] * d[j] * cov[i * n + j]);
            }
        }
        return out;
    }
}
