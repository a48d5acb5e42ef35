package dev.spa.obspa;

/**
 * Per-channel mean and variance of an activation, the data-free stand-in for its values. The
 * channel axis is axis 1 of a 4-D (N, C, H, W) value and the last axis otherwise.
 */
record Moments(double[] mean, double[] var) {
    static Moments constant(int channels, double mean, double var) {
        double[] m = new double[channels];
        double[] v = new double[channels];
        java.util.Arrays.fill(m, mean);
        java.util.Arrays.fill(v, var);
        return new Moments(m, v);
    }

    int channels() {
        return mean.length;
    }
}
