package dev.spa.obspa;

import dev.spa.linalg.Linalg;

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

    /**
     * Rows of a table taken as equally likely, each a value of the channels: their mean and covariance (a token
     * embedding table, a ViT's position table; a single row has no variance).
     */
    static Moments ofRows(float[] table, int rows, int channels, Linalg linalg) {
        double[] mean = new double[channels];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < channels; c++) {
                mean[c] += table[r * channels + c];
            }
        }
        for (int c = 0; c < channels; c++) {
            mean[c] /= rows;
        }
        float[] cov = new float[channels * channels];
        linalg.accumulateGram(cov, channels, table, rows);
        for (int i = 0; i < channels; i++) {
            for (int j = 0; j < channels; j++) {
                cov[i * channels + j] = (float) (cov[i * channels + j] / rows - mean[i] * mean[j]);
            }
        }
        return new Moments(mean, cov);
    }
}
