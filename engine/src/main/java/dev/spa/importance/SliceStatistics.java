package dev.spa.importance;

import dev.spa.groups.Member;
import dev.spa.ir.Tensor;

/** Per-position statistics of a constant along one axis, summed into per-channel values of a group member. */
final class SliceStatistics {
    private SliceStatistics() {
    }

    interface ElementFunction {
        double apply(int flatIndex, float value);
    }

    /** Sum of f over each index of the axis. */
    static double[] perPosition(Tensor t, int axis, ElementFunction f) {
        float[] w = t.floats();
        long[] dims = t.dims();
        long inner = 1;
        for (int a = axis + 1; a < dims.length; a++) {
            inner *= dims[a];
        }
        int n = (int) dims[axis];
        double[] out = new double[n];
        for (int i = 0; i < w.length; i++) {
            out[(int) ((i / inner) % n)] += f.apply(i, w[i]);
        }
        return out;
    }

    /** Adds the positions of each channel together. */
    static double[] perChannel(Member m, double[] perPosition) {
        double[] out = new double[m.positions().length];
        for (int c = 0; c < out.length; c++) {
            for (int p : m.positions()[c]) {
                out[c] += perPosition[p];
            }
        }
        return out;
    }
}
