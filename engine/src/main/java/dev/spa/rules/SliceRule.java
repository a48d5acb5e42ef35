package dev.spa.rules;

import dev.spa.SpaException;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.Arrays;
import java.util.List;

/** Slice: a sliced axis maps output position i to input position start + i (step 1); start and end follow pruning. */
final class SliceRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("Slice");
    }

    /** starts, ends, axes, steps as known values, from inputs (opset 10+) or attributes. */
    private static long[][] params(Node node, Shapes shapes, int rank) {
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (node.hasAttribute("starts")) {
            starts = node.attrInts("starts");
            ends = node.attrInts("ends");
            axes = node.attrInts("axes");
        } else {
            starts = shapes.value(node.input(1));
            ends = shapes.value(node.input(2));
            axes = node.hasInput(3) ? shapes.value(node.input(3)) : null;
            steps = node.hasInput(4) ? shapes.value(node.input(4)) : null;
            if (starts == null || ends == null || (node.hasInput(3) && axes == null) || (node.hasInput(4) && steps == null)) {
                return null;
            }
        }
        int n = starts.length;
        if (ends.length != n || (axes != null && axes.length != n) || (steps != null && steps.length != n)) {
            return null;
        }
        if (axes == null) {
            axes = new long[n];
            for (int i = 0; i < n; i++) {
                axes[i] = i;
            }
        }
        for (int i = 0; i < n; i++) {
            axes[i] = Shapes.axis(axes[i], rank);
        }
        return new long[][] {starts, ends, axes, steps == null ? Axes.filled(n, 1) : steps};
    }

    /** Clamped [start, end) for step 1 on a dim of this size, or null when unknown. */
    private static long[] range(long start, long end, long size) {
        if (start == Shapes.UNKNOWN || end == Shapes.UNKNOWN || size < 0) {
            return null;
        }
        long s = start < 0 ? start + size : start;
        long e = end < 0 ? end + size : end;
        s = Math.max(0, Math.min(size, s));
        e = Math.max(0, Math.min(size, e));
        return new long[] {s, Math.max(s, e)};
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] x = shapes.get(node.input(0));
        if (x == null) {
            return;
        }
        long[][] p = params(node, shapes, x.length);
        if (p == null) {
            return;
        }
        long[] y = x.clone();
        for (int i = 0; i < p[0].length; i++) {
            int axis = (int) p[2][i];
            long step = p[3][i];
            long[] r = range(p[0][i], p[1][i], x[axis]);
            if (r == null || step == Shapes.UNKNOWN) {
                y[axis] = Shapes.DYNAMIC;
            } else if (step == 1) {
                y[axis] = r[1] - r[0];
            } else if (step > 1) {
                y[axis] = (r[1] - r[0] + step - 1) / step;
            } else {
                y[axis] = Shapes.DYNAMIC;
            }
        }
        shapes.put(node.output(0), y);
        long[] v = shapes.value(node.input(0));
        if (v != null && x.length == 1 && y[0] >= 0 && p[3][0] == 1) {
            long[] r = range(p[0][0], p[1][0], v.length);
            shapes.putValue(node.output(0), Arrays.copyOfRange(v, (int) r[0], (int) r[1]));
        }
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        int rank = c.shapes().rank(node.input(0));
        Dim in = new Dim(node.input(0), dim.axis());
        Dim out = new Dim(node.output(0), dim.axis());
        if (!dim.equals(in) && !dim.equals(out)) {
            c.block(dim, "Slice '" + node.name() + "' takes this value as a slicing parameter");
            return;
        }
        long[][] p = params(node, c.shapes(), rank);
        if (p == null) {
            c.block(dim, "Slice '" + node.name() + "' has slicing parameters that are not constant");
            return;
        }
        for (int i = 0; i < p[0].length; i++) {
            if (p[2][i] == dim.axis()) {
                long[] r = range(p[0][i], p[1][i], c.shapes().get(node.input(0))[dim.axis()]);
                if (r == null || p[3][i] != 1) {
                    c.block(dim, "Slice '" + node.name() + "' slices this axis with an unknown range or a step other than 1");
                    return;
                }
                c.offset(out, in, (int) r[0]);
                return;
            }
        }
        c.identity(in, out);
    }

    @Override
    public void rewrite(Node node, Rewrite r) {
        long[] x = r.original().require(node.input(0));
        long[][] p = params(node, r.original(), x.length);
        boolean changed = false;
        long[] starts = p == null ? null : p[0].clone();
        long[] ends = p == null ? null : p[1].clone();
        for (int i = 0; p != null && i < starts.length; i++) {
            int[] kept = r.kept(new Dim(node.input(0), (int) p[2][i]));
            if (kept == null) {
                continue;
            }
            long[] range = range(p[0][i], p[1][i], x[(int) p[2][i]]);
            starts[i] = countBelow(kept, range[0]);
            ends[i] = countBelow(kept, range[1]);
            changed = true;
        }
        if (!changed) {
            return;
        }
        for (int i = 0; i < starts.length; i++) {
            if (starts[i] == Shapes.UNKNOWN || ends[i] == Shapes.UNKNOWN) {
                throw new SpaException("Slice '" + node.name() + "' has slicing parameters that are not constant");
            }
        }
        if (node.hasAttribute("starts")) {
            node.setAttrInts("starts", starts);
            node.setAttrInts("ends", ends);
        } else {
            r.replaceWithLongs(node, 1, starts);
            r.replaceWithLongs(node, 2, ends);
        }
    }

    private static long countBelow(int[] kept, long bound) {
        long n = 0;
        for (int k : kept) {
            if (k < bound) {
                n++;
            }
        }
        return n;
    }
}
