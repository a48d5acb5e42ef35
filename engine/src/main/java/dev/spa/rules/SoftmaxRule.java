package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.List;

/**
 * Softmax family: axes it does not normalise over pass through. Before opset 13 it flattens every
 * axis from {@code axis} on into one, so all of those are normalised together.
 */
final class SoftmaxRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("Softmax", "LogSoftmax", "Hardmax");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        Axes.sameAsInput(node, shapes);
    }

    @Override
    public boolean followsFoldedAxes() {
        return true;
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        int rank = c.shapes().rank(node.input(0));
        boolean modern = c.graph().opset() >= 13;
        int axis = Shapes.axis(node.attrInt("axis", modern ? -1 : 1), rank);
        boolean normalised = modern ? dim.axis() == axis : dim.axis() >= axis;
        if (normalised) {
            c.block(dim, node.opType() + " '" + node.name() + "' normalises over this axis");
            return;
        }
        c.identity(dim.on(node.input(0), dim.axis()), dim.on(node.output(0), dim.axis()));
    }
}
