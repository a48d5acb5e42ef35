package dev.spa.obspa;

import dev.spa.linalg.Linalg;
import dev.spa.linalg.Transpose;

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
 */
final class KroneckerInverse implements InverseHessian {
    /** Below this many entries a block is filled on one thread. */
    private static final int PARALLEL_ENTRIES = 1 << 16;
    /**
     * T is formed and applied this many entries at a time: whole, it is remaining x removed (21 MB for half of
     * ResNet-18's widest layer, the largest thing its update held).
     */
    private static final int T_BLOCK_ENTRIES = 1 << 18;

    private final int positions;
    private final boolean bias;
    private final double lambda;
    /** v_g[a] at [a * positions + g]. */
    private final double[] vectors;
    /** v_g[a] v_g[b] at [(a * positions + b) * positions + g]: an entry is one dot product with the M_g entries. */
    private final double[] outer;
    /** Every original channel's mean. */
    private final double[] channelMean;
    /** The original channels still present, ascending. */
    private int[] alive;
    /**
     * M_g over the present channels, one row-major alive.length² matrix per g in the leading entries of its array (an
     * array is cut to size once it holds twice what is needed). Apart, not interleaved: a greedy step downdates each in
     * place, where taking interleaved ones apart and back cost as much as the step's own algebra; the losses read
     * one channel's k x k block, k entries from each M_g.
     */
    private float[][] perEigen;
    /** u = A⁻¹ m over the present columns, and 1 / (1 + mᵀu). */
    private double[] u;
    private double scale;

    KroneckerInverse(float[][] perEigen, double[] vectors, double[] channelMean, int positions, boolean bias, double lambda) {
        this(perEigen, vectors, channelMean, IntStream.range(0, channelMean.length).toArray(), positions, bias, lambda);
    }

    private KroneckerInverse(float[][] perEigen, double[] vectors, double[] channelMean, int[] alive, int positions, boolean bias,
                             double lambda) {
        this.perEigen = perEigen;
        this.vectors = vectors;
        this.channelMean = channelMean;
        this.alive = alive;
        this.positions = positions;
        this.bias = bias;
        this.lambda = lambda;
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
                        a += perEigen[g][at] * outer[base + g];
                    }
                } else {
                    a = i == columns[c] ? 1 / lambda : 0; // the bias: A is λ there and uncoupled
                }
                out[to + c] = (float) (a - correction * u[columns[c]]);
            }
        });
        return out;
    }

    /**
     * Downdates the M_g to the kept channels, then forms T = (H⁻¹)_KQ ((H⁻¹)_QQ)⁻¹ without (H⁻¹)_QQ (a block of rows
     * at a time, each applied to Wᵀ before the next is formed): by the block
     * inverse, T = −(H_KK)⁻¹ H_KQ, and with (H_KK)⁻¹ = A_KK⁻¹ − s u uᵀ (the new u and s) and H_KQ = Σ_KQ ⊗ R + m_K m_Qᵀ,
     * <pre>
     *   T = −B + s u (m_Kᵀ B − m_Qᵀ),   B = A_KK⁻¹ (Σ_KQ ⊗ R) = Σ_g γ_g (M_g Σ_KQ) ⊗ v_g v_gᵀ
     * </pre>
     * (B's bias row is zero: the bias is uncoupled in A), and γ_g M_g Σ_KQ comes out of the C x C downdates (see
     * {@link #compensate}): the n x n Schur complement and the inverse of (H⁻¹)_QQ are never formed.
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
        for (int g = 0; g < positions; g++) {
            coefficients[g] = schurComplement(linalg, perEigen[g], alive.length, channels, keptChannels);
        }
        int[] nowAlive = new int[keptChannels.length];
        for (int i = 0; i < nowAlive.length; i++) {
            nowAlive[i] = alive[keptChannels[i]];
        }
        alive = nowAlive;
        int entries = alive.length * alive.length;
        for (int g = 0; g < positions; g++) {
            if (perEigen[g].length > 2 * entries) {
                perEigen[g] = java.util.Arrays.copyOf(perEigen[g], entries);
            }
        }
        shermanMorrison();
        compensate(linalg, coefficients, removedChannels, wT, wqT, outputs);
        return true;
    }

    /**
     * Wᵀ_K -= T Wᵀ_Q with T for these original channels, just removed (see {@link #removeColumns}), from the
     * downdate's coefficients M_KQ (M_QQ)⁻¹ per g: with P = γ_g Σ + λI and M = P⁻¹, the block inverse gives
     * (P_KK)⁻¹ P_KQ = −M_KQ (M_QQ)⁻¹, and P_KQ = γ_g Σ_KQ, so γ_g M_g' Σ_KQ (M_g' the downdated M_g) is minus those
     * coefficients: no product to form.
     */
    private void compensate(Linalg linalg, float[][] coefficients, int[] removedChannels, float[] wT, float[] wqT, int outputs) {
        int count = alive.length;
        int q = removedChannels.length;
        float[] n = new float[count * q * positions]; // γ_g (M_g' Σ_KQ)[c][d] at [(c * q + d) * positions + g]
        double[] meanThroughN = new double[q * positions]; // Σ_c μ_c γ_g (M_g' Σ_KQ)[c][d] at [d * positions + g]
        for (int g = 0; g < positions; g++) {
            float[] product = coefficients[g];
            for (int e = 0; e < count * q; e++) {
                double v = -product[e];
                n[e * positions + g] = (float) v;
                meanThroughN[(e % q) * positions + g] += channelMean[alive[e / q]] * v;
            }
        }
        int columns = q * positions;
        double[] correction = new double[columns]; // s (m_Kᵀ B − m_Qᵀ)
        for (int d = 0; d < q; d++) {
            for (int a = 0; a < positions; a++) {
                double mb = 0;
                for (int g = 0; g < positions; g++) {
                    double sum = 0;
                    for (int b = 0; b < positions; b++) {
                        sum += vectors[b * positions + g];
                    }
                    mb += meanThroughN[d * positions + g] * sum * vectors[a * positions + g];
                }
                correction[d * positions + a] = scale * (mb - channelMean[removedChannels[d]]);
            }
        }
        int rows = size();
        int blockRows = Math.max(1, Math.min(rows, T_BLOCK_ENTRIES / columns));
        boolean whole = blockRows == rows; // greedy removal's steps: a few columns, T in one piece, Wᵀ updated in place
        float[] t = new float[blockRows * columns];
        float[] wBlock = whole ? wT : new float[blockRows * outputs];
        for (int from = 0; from < rows; from += blockRows) {
            int block = Math.min(blockRows, rows - from);
            fillT(t, from, block, n, correction, q);
            if (!whole) {
                System.arraycopy(wT, from * outputs, wBlock, 0, block * outputs);
            }
            linalg.multiplyAccumulate(wBlock, t, wqT, block, columns, outputs, -1f);
            if (!whole) {
                System.arraycopy(wBlock, 0, wT, from * outputs, block * outputs);
            }
        }
    }

    /** Rows from .. from + count of T into {@code t} (see {@link #compensate}). */
    private void fillT(float[] t, int from, int count, float[] n, double[] correction, int q) {
        int columns = q * positions;
        int w = weightColumns();
        IntStream range = IntStream.range(from, from + count);
        if ((long) count * columns >= PARALLEL_ENTRIES) {
            range = range.parallel();
        }
        range.forEach(r -> {
            int to = (r - from) * columns;
            if (r >= w) {
                for (int col = 0; col < columns; col++) {
                    t[to + col] = (float) (u[r] * correction[col]); // B's bias row is zero
                }
                return;
            }
            int rowChannel = (r / positions) * q;
            int rowOuter = (r % positions) * positions * positions;
            for (int d = 0, col = 0; d < q; d++) {
                int at = (rowChannel + d) * positions;
                for (int a = 0; a < positions; a++, col++) {
                    int base = rowOuter + a * positions;
                    double b = 0;
                    for (int g = 0; g < positions; g++) {
                        b += n[at + g] * outer[base + g];
                    }
                    t[to + col] = (float) (-b + u[r] * correction[col]);
                }
            }
        });
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

    /**
     * ((M⁻¹)_KK)⁻¹ = M_KK − M_KQ (M_QQ)⁻¹ M_QK: the inverse of the kept part of what M inverts, written over M's
     * leading entries. Returns the coefficients M_KQ (M_QQ)⁻¹ (kept x removed).
     */
    private static float[] schurComplement(Linalg linalg, float[] m, int n, int[] removed, int[] kept) {
        float[] mQQ = Submatrix.rows(m, n, removed, removed);
        if (!linalg.invertInPlace(mQQ, removed.length)) {
            throw new IllegalStateException("a principal block of (γΣ + λI)⁻¹ is not positive definite; λ = 0?");
        }
        float[] mQK = Submatrix.rows(m, n, removed, kept);
        Submatrix.keepOnly(m, n, kept, kept);
        float[] coefficients = linalg.multiply(Transpose.of(mQK, removed.length, kept.length), mQQ, kept.length, removed.length, removed.length);
        linalg.multiplyAccumulate(m, coefficients, mQK, kept.length, removed.length, kept.length, -1f);
        return coefficients;
    }

    /** u = A⁻¹ m: on channel c's position a, Σ_g v_g[a] (Σ_b v_g[b]) (M_g μ)_c; on the bias, 1/λ. */
    private void shermanMorrison() {
        int count = alive.length;
        u = new double[size()];
        double[] sum = new double[positions]; // Σ_b v_g[b]
        for (int g = 0; g < positions; g++) {
            for (int b = 0; b < positions; b++) {
                sum[g] += vectors[b * positions + g];
            }
        }
        double[] mean = new double[count];
        for (int d = 0; d < count; d++) {
            mean[d] = channelMean[alive[d]];
        }
        for (int g = 0; g < positions; g++) {
            float[] m = perEigen[g];
            for (int c = 0; c < count; c++) {
                double mu = 0; // (M_g μ)_c
                for (int d = 0, at = c * count; d < count; d++) {
                    mu += m[at + d] * mean[d];
                }
                for (int a = 0; a < positions; a++) {
                    u[c * positions + a] += vectors[a * positions + g] * sum[g] * mu;
                }
            }
        }
        if (bias) {
            u[weightColumns()] = 1 / lambda;
        }
        double denominator = 1;
        for (int i = 0; i < u.length; i++) {
            denominator += mean(i) * u[i];
        }
        scale = 1 / denominator;
    }

    @Override
    public KroneckerInverse copy() {
        float[][] copies = new float[positions][];
        for (int g = 0; g < positions; g++) {
            copies[g] = java.util.Arrays.copyOf(perEigen[g], alive.length * alive.length);
        }
        return new KroneckerInverse(copies, vectors, channelMean, alive.clone(), positions, bias, lambda);
    }

    @Override
    public long bytes() {
        long bytes = 0;
        for (float[] m : perEigen) {
            bytes += (long) m.length * Float.BYTES;
        }
        return bytes;
    }
}
