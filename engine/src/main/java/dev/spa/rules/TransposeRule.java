package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.List;

/** Transpose: output axis i is input axis perm[i]. */
final class TransposeRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("Transpose");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] x = shapes.get(node.input(0));
        if (x == null) {
            return;
        }
        int[] perm = Shapes.permutation(node, x.length);
        long[] y = new long[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = x[perm[i]];
        }
        shapes.put(node.output(0), y);
    }

    @Override
    public boolean followsFoldedAxes() {
        return true;
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        int[] perm = Shapes.permutation(node, c.shapes().rank(node.input(0)));
        for (int i = 0; i < perm.length; i++) {
            boolean match = dim.value().equals(node.input(0)) ? perm[i] == dim.axis() : i == dim.axis();
            if (match) {
                c.identity(dim.on(node.input(0), perm[i]), dim.on(node.output(0), i));
            }
        }
    }
}
