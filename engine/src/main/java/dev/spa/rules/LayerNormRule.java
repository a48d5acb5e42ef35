package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.List;

/**
 * LayerNormalization: the normalised axes are coupled with scale and bias and can be pruned, but
 * the statistics mix the channels, so such groups are flagged as channel-mixing.
 */
final class LayerNormRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("LayerNormalization");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] x = shapes.get(node.input(0));
        if (x != null) {
            shapes.put(node.output(0), x);
        }
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        int rank = c.shapes().rank(node.input(0));
        int first = Shapes.axis(node.attrInt("axis", -1), rank);
        int axis = dim.axis();
        if (!dim.value().equals(node.input(0)) && !dim.value().equals(node.output(0))) {
            axis = first + axis; // a scale or bias axis
        }
        Dim x = new Dim(node.input(0), axis);
        Dim y = new Dim(node.output(0), axis);
        c.identity(x, y);
        if (axis >= first) {
            for (int i = 1; i < Math.min(3, node.inputs().size()); i++) {
                if (node.hasInput(i)) {
                    c.identity(y, new Dim(node.input(i), axis - first));
                }
            }
            c.mixing(y, "LayerNormalization '" + node.name() + "' normalises over this axis");
        }
    }
}
