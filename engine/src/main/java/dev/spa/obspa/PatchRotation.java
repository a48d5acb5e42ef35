package dev.spa.obspa;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The orthonormal change of basis P = I ⊗ V that turns each channel's k patch positions into the k eigenvectors of the
 * spatial correlation R (V's columns): rows of Wᵀ, k per channel (then a bias row, which no rotation touches), become
 * Vᵀ times each channel's k rows. Removing whole channels is the same removal in either basis, and the OBS losses and
 * updates are the same numbers, so OBSPA may work in whichever basis makes its Hessian simplest.
 */
final class PatchRotation {
    private final int positions;
    /** v_g[a] at [a * positions + g]. */
    private final double[] vectors;

    PatchRotation(double[] vectors, int positions) {
        this.vectors = vectors;
        this.positions = positions;
    }

    /** Row (c, g) becomes Σ_a v_g[a] · row (c, a), for the first {@code channels} channels' rows of Wᵀ. */
    void toEigenbasis(float[] wT, int channels, int outputs) {
        apply(wT, channels, outputs, true);
    }

    /** The inverse of {@link #toEigenbasis}: row (c, a) becomes Σ_g v_g[a] · row (c, g). */
    void fromEigenbasis(float[] wT, int channels, int outputs) {
        apply(wT, channels, outputs, false);
    }

    private void apply(float[] wT, int channels, int outputs, boolean transposed) {
        int block = positions * outputs;
        IntStream range = IntStream.range(0, channels);
        if ((long) channels * block >= 1 << 16) {
            range = range.parallel();
        }
        range.forEach(c -> {
            float[] rows = Arrays.copyOfRange(wT, c * block, (c + 1) * block);
            for (int to = 0; to < positions; to++) {
                int out = c * block + to * outputs;
                Arrays.fill(wT, out, out + outputs, 0f);
                for (int from = 0; from < positions; from++) {
                    float v = (float) (transposed ? vectors[from * positions + to] : vectors[to * positions + from]);
                    int in = from * outputs;
                    for (int o = 0; o < outputs; o++) {
                        wT[out + o] += v * rows[in + o];
                    }
                }
            }
        });
    }
}
