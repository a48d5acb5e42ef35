package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.List;

/** Expand: broadcasting to a given shape; an axis whose target is 1 (or absent) passes through. */
final class ExpandRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("Expand");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] x = shapes.get(node.input(0));
        long[] target = shapes.value(node.input(1));
        if (x == null || target == null) {
            return;
        }
        long[] t = target.clone();
        for (int i = 0; i < t.length; i++) {
            t[i] = t[i] == Shapes.UNKNOWN ? Shapes.DYNAMIC : t[i];
        }
        shapes.put(node.output(0), Axes.broadcast(x, t));
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        long[] x = c.shapes().get(node.input(0));
        long[] y = c.shapes().get(node.output(0));
        long[] target = c.shapes().value(node.input(1));
        if (target == null || x == null || y == null || node.inputs().indexOf(dim.value()) == 1) {
            c.block(dim, "Expand '" + node.name() + "' has an unknown target shape");
            return;
        }
        int outAxis = dim.value().equals(node.output(0)) ? dim.axis() : dim.axis() + y.length - x.length;
        int inAxis = outAxis - (y.length - x.length);
        int targetAxis = outAxis - (y.length - target.length);
        boolean passes = inAxis >= 0 && x[inAxis] == y[outAxis] && (targetAxis < 0 || target[targetAxis] == 1);
        if (!passes) {
            c.block(dim, "Expand '" + node.name() + "' broadcasts to this axis");
            return;
        }
        c.identity(new Dim(node.input(0), inAxis), new Dim(node.output(0), outAxis));
    }
}
