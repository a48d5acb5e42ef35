package dev.spa.obspa;

/**
 * Sets to zero the off-diagonal entries of a symmetric positive-definite matrix that lie below float32's resolution
 * relative to their diagonal, |h_ij| < 2⁻²⁴ √(h_ii h_jj), before it is factored and inverted.
 *
 * <p>They cannot move a float32 inverse, but the products of such dust inside the factorisation are denormal floats,
 * on which a CPU without flush-to-zero runs tens of times slower (Intel's microcode assists; OpenBLAS does not set
 * the flag). Data-free Hessians are full of it where depthwise layers keep channels independent: EfficientNet-B0's
 * 1153-column Hessians have dust in nearly every off-diagonal, and on an Intel Xeon each of their inverses took
 * about 700 ms, most of the model's 21 s of scoring (5 s without the dust).
 */
final class NegligibleEntries {
    private static final double RESOLUTION = 0x1p-24;

    private NegligibleEntries() {
    }

    static void zero(float[] h, int n) {
        double[] scale = new double[n];
        for (int i = 0; i < n; i++) {
            scale[i] = Math.sqrt(Math.abs(h[i * n + i])) * Math.sqrt(RESOLUTION);
        }
        for (int i = 0; i < n; i++) {
            int row = i * n;
            double si = scale[i];
            for (int j = 0; j < n; j++) {
                if (j != i && Math.abs(h[row + j]) < si * scale[j]) {
                    h[row + j] = 0f;
                }
            }
        }
    }
}
