package dev.spa.rules;

import dev.spa.deps.Coupling;
import dev.spa.deps.Dim;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.List;

/** Transpose: output axis i is input axis perm[i]. */
final class TransposeRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("Transpose");
    }

    private static long[] perm(Node node, int rank) {
        long[] perm = node.attrInts("perm");
        if (perm == null) {
            perm = new long[rank];
            for (int i = 0; i < rank; i++) {
                perm[i] = rank - 1 - i;
            }
        }
        return perm;
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] x = shapes.get(node.input(0));
        if (x == null) {
            return;
        }
        long[] perm = perm(node, x.length);
        long[] y = new long[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = x[(int) perm[i]];
        }
        shapes.put(node.output(0), y);
    }

    @Override
    public boolean followsFoldedAxes() {
        return true;
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        long[] perm = perm(node, c.shapes().rank(node.input(0)));
        for (int i = 0; i < perm.length; i++) {
            boolean match = dim.value().equals(node.input(0)) ? perm[i] == dim.axis() : i == dim.axis();
            if (match) {
                c.identity(dim.on(node.input(0), (int) perm[i]), dim.on(node.output(0), i));
            }
        }
    }
}
