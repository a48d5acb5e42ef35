package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reductions: kept axes pass through; reducing over a tracked axis (the mean of a decomposed
 * LayerNorm, say) still allows pruning but mixes the channels, so the group is flagged.
 */
final class ReduceRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
                "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp");
    }

    /** Reduced axes (normalised), or all axes when none are given. */
    private static boolean[] reduced(Node node, Shapes shapes, int rank) {
        long[] axes = node.attrInts("axes");
        if (axes == null && node.hasInput(1)) {
            axes = shapes.value(node.input(1));
        }
        boolean[] out = new boolean[rank];
        if (axes == null || axes.length == 0) {
            boolean noop = node.attrInt("noop_with_empty_axes", 0) == 1;
            Arrays.fill(out, !noop);
            return out;
        }
        for (long a : axes) {
            out[Shapes.axis(a, rank)] = true;
        }
        return out;
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] x = shapes.get(node.input(0));
        if (x == null) {
            return;
        }
        boolean[] r = reduced(node, shapes, x.length);
        boolean keep = node.attrInt("keepdims", 1) == 1;
        List<Long> y = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (!r[i]) {
                y.add(x[i]);
            } else if (keep) {
                y.add(1L);
            }
        }
        shapes.put(node.output(0), y.stream().mapToLong(Long::longValue).toArray());
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        int rank = c.shapes().rank(node.input(0));
        boolean[] r = reduced(node, c.shapes(), rank);
        boolean keep = node.attrInt("keepdims", 1) == 1;
        int[] outAxis = new int[rank];
        int next = 0;
        for (int i = 0; i < rank; i++) {
            outAxis[i] = r[i] && !keep ? -1 : next++;
        }
        int inAxis = dim.axis();
        if (!dim.value().equals(node.input(0)) && !dim.value().equals(node.output(0))) {
            c.block(dim, node.opType() + " '" + node.name() + "' reads this value as its axes, not as data");
            return;
        }
        if (inAxis >= rank) {
            c.block(dim, node.opType() + " '" + node.name() + "' has axis " + inAxis + " on a value of rank " + rank);
            return;
        }
        if (dim.value().equals(node.output(0))) {
            inAxis = -1;
            for (int i = 0; i < rank; i++) {
                if (outAxis[i] == dim.axis()) {
                    inAxis = i;
                }
            }
        }
        if (inAxis < 0 || r[inAxis]) {
            c.mixing(dim, node.opType() + " '" + node.name() + "' reduces over this axis");
            return;
        }
        c.identity(new Dim(node.input(0), inAxis), new Dim(node.output(0), outAxis[inAxis]));
    }
}
