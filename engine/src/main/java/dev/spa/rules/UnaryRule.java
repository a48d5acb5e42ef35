package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.ArrayList;
import java.util.List;

/** Operators that act on each element alone (activations, Dropout, Identity, Cast): every axis passes through. */
final class UnaryRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("Relu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "LeakyRelu", "Erf", "Gelu",
                "Elu", "Selu", "Celu", "Softplus", "Softsign", "Mish", "ThresholdedRelu", "Sqrt", "Exp", "Log", "Neg",
                "Abs", "Reciprocal", "Floor", "Ceil", "Round", "Sign", "Sin", "Cos", "Not", "IsNaN", "IsInf",
                "Dropout", "Identity", "Cast", "CastLike");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        Axes.sameAsInput(node, shapes);
        long[] v = shapes.value(node.input(0));
        if (v != null && (node.opType().equals("Identity") || node.opType().startsWith("Cast"))) {
            shapes.putValue(node.output(0), v);
        }
    }

    @Override
    public boolean followsFoldedAxes() {
        return true;
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        List<String> values = new ArrayList<>(node.outputs());
        values.add(node.input(0));
        Axes.linkSameAxis(node, dim, c, values);
    }
}
