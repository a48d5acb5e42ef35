package dev.spa.obspa;

import dev.spa.linalg.Linalg;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * (m mᵀ + Σ ⊗ R + λI)⁻¹ kept in structure: with R = Σ_g γ_g v_g v_gᵀ and M_g = (γ_g Σ + λI)⁻¹ (C x C each), the
 * inverse without the means is A⁻¹ = Σ_g M_g ⊗ v_g v_gᵀ (and 1/λ for the bias), and the means come in by
 * Sherman–Morrison: H⁻¹ = A⁻¹ − u uᵀ / (1 + mᵀu) with u = A⁻¹ m. Any entry costs k multiply-adds (k positions
 * of a patch) and the whole holds k C² floats (the M_g) instead of (C·k)².
 *
 * <p>Removing whole channels keeps the structure: the rest of H is (Σ_KK ⊗ R + λI) + m_K m_Kᵀ, whose M_g are the
 * Schur complements of the old ones (C x C downdates, not n x n). Removing part of a channel's positions would
 * break it, and OBSPA never asks for that (a channel's columns are removed together).
 *
 * <p>Losses and removals work in the eigenbasis of R ({@link PatchRotation}: each channel's k positions turned into
 * the k eigenvectors v_g), where A⁻¹ = Σ_g M_g ⊗ e_g e_gᵀ: a channel's k x k block of H⁻¹ is diagonal but for the
 * means' rank-one term, and the update's T couples each eigen-row only with the same eigen-row of the removed
 * channels (k products C x q x outputs, where in the positions' own basis T is dense over them, k times the work).
 */
final class KroneckerInverse implements InverseHessian {
    /** Below this many entries a block is filled on one thread. */
    private static final int PARALLEL_ENTRIES = 1 << 16;

    private final int positions;
    private final boolean bias;
    private final double lambda;
    /** v_g[a] at [a * positions + g]. */
    private final double[] vectors;
    /** σ_g = Σ_a v_g[a]: the constant patch (a channel's mean at every position) in the eigenbasis. */
    private final double[] sigma;
    private final PatchRotation rotation;
    /** v_g[a] v_g[b] at [(a * positions + b) * positions + g]: an entry is one dot product with the M_g entries. */
    private final double[] outer;
    /** Every original channel's mean. */
    private final double[] channelMean;
    /** The original channels still present, ascending. */
    private int[] alive;
    /**
     * M_g over the present channels, one row-major alive.length² matrix after another (M_g[c][d] at
     * [g * alive.length² + c * alive.length + d]; the array is cut to size once it holds twice what is needed). One
     * array, not one per g: a 512-channel M_g is 1 MB and a byte over, so the collector gives each two 1 MB regions;
     * in one array they waste less than one. Not interleaved: a greedy step downdates each M_g as one block, where
     * taking interleaved ones apart and back cost as much as the step's own algebra; the losses read one channel's
     * k x k block, k entries.
     */
    private float[] blocks;
    /** u = A⁻¹ m over the present columns, the same in the eigenbasis (ũ = Pᵀu), and s = 1 / (1 + mᵀu). */
    private double[] u;
    private double[] uRotated;
    private double scale;

    KroneckerInverse(float[][] perEigen, double[] vectors, double[] channelMean, int positions, boolean bias, double lambda) {
        this(concatenate(perEigen, channelMean.length), vectors, channelMean, IntStream.range(0, channelMean.length).toArray(), positions,
                bias, lambda);
    }

    private KroneckerInverse(float[] blocks, double[] vectors, double[] channelMean, int[] alive, int positions, boolean bias,
                             double lambda) {
        this.blocks = blocks;
        this.vectors = vectors;
        this.channelMean = channelMean;
        this.alive = alive;
        this.positions = positions;
        this.bias = bias;
        this.lambda = lambda;
        this.rotation = new PatchRotation(vectors, positions);
        this.sigma = new double[positions];
        for (int g = 0; g < positions; g++) {
            for (int a = 0; a < positions; a++) {
                sigma[g] += vectors[a * positions + g];
            }
        }
        this.outer = new double[positions * positions * positions];
        for (int a = 0; a < positions; a++) {
            for (int b = 0; b < positions; b++) {
                for (int g = 0; g < positions; g++) {
                    outer[(a * positions + b) * positions + g] = vectors[a * positions + g] * vectors[b * positions + g];
                }
            }
        }
        shermanMorrison();
    }

    @Override
    public int size() {
        return weightColumns() + (bias ? 1 : 0);
    }

    private int weightColumns() {
        return alive.length * positions;
    }

    private double mean(int column) {
        return column < weightColumns() ? channelMean[alive[column / positions]] : 1;
    }

    /** (H⁻¹)_{rows, columns}: per entry, the dot product of the k M_g entries of its channel pair with v_g[a] v_g[b]. */
    @Override
    public float[] block(int[] rows, int[] columns) {
        int w = weightColumns();
        int count = alive.length;
        int[] columnChannel = new int[columns.length];
        int[] columnPosition = new int[columns.length];
        for (int c = 0; c < columns.length; c++) {
            columnChannel[c] = columns[c] < w ? columns[c] / positions : -1;
            columnPosition[c] = columns[c] % positions;
        }
        float[] out = new float[rows.length * columns.length];
        IntStream range = IntStream.range(0, rows.length);
        if ((long) rows.length * columns.length >= PARALLEL_ENTRIES) {
            range = range.parallel();
        }
        range.forEach(r -> {
            int i = rows[r];
            int channel = i < w ? i / positions : -1;
            int rowOuter = (i % positions) * positions * positions;
            double correction = u[i] * scale;
            int to = r * columns.length;
            for (int c = 0; c < columns.length; c++) {
                double a;
                if (channel >= 0 && columnChannel[c] >= 0) {
                    int at = channel * count + columnChannel[c];
                    int base = rowOuter + columnPosition[c] * positions;
                    a = 0;
                    for (int g = 0; g < positions; g++) {
                        a += blocks[g * count * count + at] * outer[base + g];
                    }
                } else {
                    a = i == columns[c] ? 1 / lambda : 0; // the bias: A is λ there and uncoupled
                }
                out[to + c] = (float) (a - correction * u[columns[c]]);
            }
        });
        return out;
    }

    @Override
    public void toWorkingBasis(float[] wT, int outputs) {
        rotation.toEigenbasis(wT, alive.length, outputs);
    }

    @Override
    public void fromWorkingBasis(float[] wT, int outputs) {
        rotation.fromEigenbasis(wT, alive.length, outputs);
    }

    /**
     * Downdates the M_g to the kept channels, then moves Wᵀ_K -= T Wᵀ_Q (eigenbasis) without forming T or (H⁻¹)_QQ: by
     * the block inverse, T = −(H_KK)⁻¹ H_KQ, and with (H_KK)⁻¹ = A_KK⁻¹ − s u uᵀ (the new u and s) and
     * H_KQ = Σ_KQ ⊗ R + m_K m_Qᵀ,
     * <pre>
     *   T = −B + s u (m_Kᵀ B − m_Qᵀ),   B = A_KK⁻¹ (Σ_KQ ⊗ R) = Σ_g γ_g (M_g Σ_KQ) ⊗ e_g e_gᵀ
     * </pre>
     * (B's bias row is zero: the bias is uncoupled in A), and γ_g M_g' Σ_KQ (M_g' the downdated M_g) comes out of the
     * C x C downdates: with P = γ_g Σ + λI and M = P⁻¹, the block inverse gives (P_KK)⁻¹ P_KQ = −M_KQ (M_QQ)⁻¹, so it
     * is minus the downdate's coefficients. Row (c, g) of T Wᵀ_Q is then −Σ_d B_g[c][d] Wᵀ_Q[(d, g)] + ũ_(c,g) r with
     * one row r = corrᵀ Wᵀ_Q for the means.
     */
    @Override
    public boolean removeColumns(Linalg linalg, int[] removed, float[] wT, float[] wqT, int outputs) {
        int[] channels = wholeChannels(removed);
        int[] removedChannels = new int[channels.length];
        for (int c = 0; c < channels.length; c++) {
            removedChannels[c] = alive[channels[c]];
        }
        int[] keptChannels = Submatrix.complement(channels, alive.length);
        float[][] coefficients = new float[positions][];
        int before = alive.length * alive.length;
        int after = keptChannels.length * keptChannels.length;
        float[] m = new float[before];
        for (int g = 0; g < positions; g++) {
            // each block moves down to its place in the shrunk layout, never over one not yet read
            System.arraycopy(blocks, g * before, m, 0, before);
            coefficients[g] = SchurComplement.inPlace(linalg, m, alive.length, channels, keptChannels);
            System.arraycopy(m, 0, blocks, g * after, after);
        }
        int[] nowAlive = new int[keptChannels.length];
        for (int i = 0; i < nowAlive.length; i++) {
            nowAlive[i] = alive[keptChannels[i]];
        }
        alive = nowAlive;
        if (blocks.length > 2 * positions * after) {
            blocks = Arrays.copyOf(blocks, positions * after);
        }
        shermanMorrison();
        compensate(linalg, coefficients, removedChannels, wT, wqT, outputs);
        return true;
    }

    /** Wᵀ_K -= T Wᵀ_Q in the eigenbasis (see {@link #removeColumns}), from the downdate's coefficients M_KQ (M_QQ)⁻¹ per g. */
    private void compensate(Linalg linalg, float[][] coefficients, int[] removedChannels, float[] wT, float[] wqT, int outputs) {
        int count = alive.length;
        int q = removedChannels.length;
        float[] r = new float[outputs]; // corrᵀ Wᵀ_Q, corr_(d,g) = s σ_g (Σ_c μ_c B_g[c][d] − μ_d), B_g = −coefficients
        for (int g = 0; g < positions; g++) {
            float[] coefficient = coefficients[g];
            for (int d = 0; d < q; d++) {
                double meanThroughB = 0;
                for (int c = 0; c < count; c++) {
                    meanThroughB -= channelMean[alive[c]] * coefficient[c * q + d];
                }
                float corr = (float) (scale * sigma[g] * (meanThroughB - channelMean[removedChannels[d]]));
                int row = (d * positions + g) * outputs;
                for (int o = 0; o < outputs; o++) {
                    r[o] += corr * wqT[row + o];
                }
            }
        }
        float[] removedRows = new float[q * outputs]; // Wᵀ_Q's eigen-row g of each removed channel
        float[] moved = new float[count * outputs]; // one pair of buffers for every g: the last cut's are megabytes
        for (int g = 0; g < positions; g++) {
            for (int d = 0; d < q; d++) {
                System.arraycopy(wqT, (d * positions + g) * outputs, removedRows, d * outputs, outputs);
            }
            Arrays.fill(moved, 0f);
            linalg.multiplyAccumulate(moved, coefficients[g], removedRows, count, q, outputs, 1f);
            for (int c = 0; c < count; c++) {
                int row = (c * positions + g) * outputs;
                for (int o = 0; o < outputs; o++) {
                    wT[row + o] -= moved[c * outputs + o];
                }
            }
        }
        for (int i = 0; i < size(); i++) {
            float coefficient = (float) uRotated[i];
            int row = i * outputs;
            for (int o = 0; o < outputs; o++) {
                wT[row + o] -= coefficient * r[o];
            }
        }
    }

    /**
     * In the eigenbasis, one channel's k x k block of H⁻¹ is S = D − s z zᵀ with D = diag_g M_g[c][c] and z = ũ_c, so
     * S⁻¹ = D⁻¹ + β y yᵀ (y = D⁻¹z, β = s / (1 − s zᵀy)) and the loss ½ tr(S⁻¹ W_cᵀ W_c) = ½ (Σ_g ‖w_g‖² / D_g +
     * β ‖W_c y‖²): k squared norms and one projection per channel, where the written-out block takes a k x k Gram and a
     * factorisation. Sets of several channels take the general way on their eigenbasis block.
     */
    @Override
    public double[] losses(float[] wT, int outputs, int[][] columnSets) {
        double[] out = new double[columnSets.length];
        IntStream.range(0, columnSets.length).parallel().forEach(i -> {
            int[] channels = wholeChannels(sorted(columnSets[i]));
            out[i] = channels.length == 1 ? channelLoss(wT, outputs, channels[0]) : setLoss(wT, outputs, columnSets[i]);
        });
        return out;
    }

    /** The fast way where D is positive and 1 − s zᵀy is too; else the general way on the same block. */
    private double channelLoss(float[] wT, int outputs, int channel) {
        double[] y = new double[positions];
        double zy = 0;
        boolean positive = true;
        for (int g = 0; g < positions; g++) {
            double d = diagonal(g, channel);
            positive &= d > 0;
            double z = uRotated[channel * positions + g];
            y[g] = z / d;
            zy += z * y[g];
        }
        double denominator = 1 - scale * zy;
        if (!positive || !(denominator > 1e-12)) {
            return setLoss(wT, outputs, IntStream.range(channel * positions, (channel + 1) * positions).toArray());
        }
        double beta = scale / denominator;
        double[] projection = new double[outputs];
        double weighted = 0;
        for (int g = 0; g < positions; g++) {
            int row = (channel * positions + g) * outputs;
            double norm = 0;
            double yg = y[g];
            for (int o = 0; o < outputs; o++) {
                double v = wT[row + o];
                norm += v * v;
                projection[o] += yg * v;
            }
            weighted += norm / diagonal(g, channel);
        }
        double projected = 0;
        for (double p : projection) {
            projected += p * p;
        }
        return 0.5 * (weighted + beta * projected);
    }

    /** ½ tr(S⁻¹ G) on the eigenbasis block S = Σ_g M_g[c][d] e_g e_gᵀ − s ũ ũᵀ of whole channels, G their Gram. */
    private double setLoss(float[] wT, int outputs, int[] columns) {
        int k = columns.length;
        double[] block = new double[k * k];
        for (int i = 0; i < k; i++) {
            int rowChannel = columns[i] / positions;
            for (int j = 0; j < k; j++) {
                double a = columns[i] % positions == columns[j] % positions
                        ? blocks[(columns[i] % positions) * alive.length * alive.length + rowChannel * alive.length + columns[j] / positions] : 0;
                block[i * k + j] = a - scale * uRotated[columns[i]] * uRotated[columns[j]];
            }
        }
        return 0.5 * SmallSpd.factor(block, k).traceOfInverseTimes(ColumnGram.of(wT, outputs, columns));
    }

    private static int[] sorted(int[] columns) {
        int[] out = columns.clone();
        Arrays.sort(out);
        return out;
    }

    /** The present channels these columns are, each with all its positions; anything else is refused. */
    private int[] wholeChannels(int[] removed) {
        if (removed.length % positions != 0) {
            throw new IllegalArgumentException("removing " + removed.length + " columns of a Hessian over patches of " + positions
                    + " positions: only whole channels keep its structure");
        }
        int[] channels = new int[removed.length / positions];
        for (int c = 0; c < channels.length; c++) {
            int first = removed[c * positions];
            for (int a = 0; a < positions; a++) {
                if (first % positions != 0 || first >= weightColumns() || removed[c * positions + a] != first + a) {
                    throw new IllegalArgumentException("column " + removed[c * positions + a] + " is not part of a whole channel removed with it");
                }
            }
            channels[c] = first / positions;
        }
        return channels;
    }

    /** u = A⁻¹ m: on channel c's position a, Σ_g v_g[a] σ_g (M_g μ)_c (ũ: σ_g (M_g μ)_c on eigen-row g); on the bias, 1/λ. */
    private void shermanMorrison() {
        int count = alive.length;
        u = new double[size()];
        uRotated = new double[size()];
        double[] mean = new double[count];
        for (int d = 0; d < count; d++) {
            mean[d] = channelMean[alive[d]];
        }
        for (int g = 0; g < positions; g++) {
            for (int c = 0; c < count; c++) {
                double mu = 0; // (M_g μ)_c
                for (int d = 0, at = (g * count + c) * count; d < count; d++) {
                    mu += blocks[at + d] * mean[d];
                }
                uRotated[c * positions + g] = sigma[g] * mu;
                for (int a = 0; a < positions; a++) {
                    u[c * positions + a] += vectors[a * positions + g] * uRotated[c * positions + g];
                }
            }
        }
        if (bias) {
            u[weightColumns()] = 1 / lambda;
            uRotated[weightColumns()] = 1 / lambda;
        }
        double denominator = 1;
        for (int i = 0; i < u.length; i++) {
            denominator += mean(i) * u[i];
        }
        scale = 1 / denominator;
    }

    @Override
    public KroneckerInverse copy() {
        return new KroneckerInverse(Arrays.copyOf(blocks, positions * alive.length * alive.length), vectors, channelMean,
                alive.clone(), positions, bias, lambda);
    }

    @Override
    public long bytes() {
        return (long) blocks.length * Float.BYTES;
    }

    /** M_g[c][c]. */
    private double diagonal(int g, int channel) {
        return blocks[(g * alive.length + channel) * alive.length + channel];
    }

    /** The M_g, C x C each, one after another in one array. */
    private static float[] concatenate(float[][] perEigen, int channels) {
        int entries = channels * channels;
        float[] out = new float[perEigen.length * entries];
        for (int g = 0; g < perEigen.length; g++) {
            System.arraycopy(perEigen[g], 0, out, g * entries, entries);
        }
        return out;
    }
}
