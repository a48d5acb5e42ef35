package dev.spa.obspa;

import dev.spa.ir.Shapes;

import java.util.Arrays;

/**
 * Which axes of a value its moments' channels run along, in the order their row-major flattening numbers them. A
 * layer reads its channels on the conventional axis (1 of a 4-D value, the last otherwise), but a transformer moves
 * them: a ViT's BatchNormalization sees its tokens transposed to [N, C, T], attention splits the width into (heads,
 * head width) on two axes and transposes them apart before merging them again. Following the axes through those
 * layout changes is what lets a layer after them get the moments of the same channels instead of a default.
 */
record FeatureAxes(int[] axes) {
    /** Axis 1 of a 4-D value, the last otherwise: where Conv, BatchNormalization and the linear layers have channels. */
    static FeatureAxes conventional(int rank) {
        return new FeatureAxes(new int[] {rank == 4 ? 1 : Math.max(0, rank - 1)});
    }

    boolean isConventional(int rank) {
        return equals(conventional(rank));
    }

    boolean contains(int axis) {
        return Arrays.stream(axes).anyMatch(a -> a == axis);
    }

    /** The number of channels on these axes of a value of this shape (-1 where a size is unknown). */
    long count(long[] shape) {
        long n = 1;
        for (int a : axes) {
            if (a >= shape.length || shape[a] < 0) {
                return -1;
            }
            n *= shape[a];
        }
        return n;
    }

    /** The same channels on an operand broadcast to a higher rank (numpy rules: axes align at the end). */
    FeatureAxes shifted(int by) {
        return new FeatureAxes(Arrays.stream(axes).map(a -> a + by).toArray());
    }

    /** Where the channels are after a Transpose with this permutation (output axis i is input axis perm[i]). */
    FeatureAxes transposed(int[] perm) {
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = indexOf(perm, axes[i]);
            if (out[i] < 0) {
                return null;
            }
        }
        return new FeatureAxes(out);
    }

    /**
     * Where the channels are after a reshape from {@code in} to {@code out}: the channel axes must be adjacent and in
     * order, and the output must hold a run of adjacent axes with the same count after the same number of leading
     * elements (a split [T, 48] -> [T, 3, 16] or a merge back); null when the reshape moves them otherwise.
     */
    FeatureAxes reshaped(long[] in, long[] out) {
        if (axes[axes.length - 1] >= in.length) {
            return null; // a scalar has no channel axis
        }
        for (int i = 1; i < axes.length; i++) {
            if (axes[i] != axes[i - 1] + 1) {
                return null;
            }
        }
        long before = Shapes.product(in, 0, axes[0]);
        long channels = Shapes.product(in, axes[0], axes[axes.length - 1] + 1);
        if (before < 0 || channels < 0) {
            return null;
        }
        for (int c = 0; c < out.length; c++) {
            if (Shapes.product(out, 0, c) != before || out[c] == 1) {
                continue;
            }
            for (int d = c; d < out.length; d++) {
                long run = Shapes.product(out, c, d + 1);
                if (run == channels) {
                    int[] found = new int[d - c + 1];
                    for (int i = 0; i < found.length; i++) {
                        found[i] = c + i;
                    }
                    return new FeatureAxes(found);
                }
                if (run < 0 || run > channels) {
                    break;
                }
            }
        }
        return null;
    }

    /** After reducing these axes without keeping them, or null when a channel axis is among them. */
    FeatureAxes reduced(int[] reducedAxes, boolean keepDims) {
        int[] out = axes.clone();
        for (int i = 0; i < axes.length; i++) {
            for (int r : reducedAxes) {
                if (r == axes[i]) {
                    return null;
                }
                if (!keepDims && r < axes[i]) {
                    out[i]--;
                }
            }
        }
        return new FeatureAxes(out);
    }

    private static int indexOf(int[] values, int v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == v) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureAxes f && Arrays.equals(axes, f.axes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(axes);
    }

    @Override
    public String toString() {
        return Arrays.toString(axes);
    }
}
