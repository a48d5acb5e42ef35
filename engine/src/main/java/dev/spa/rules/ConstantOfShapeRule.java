package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;
import dev.spa.ir.Tensor;

import java.util.List;

/** ConstantOfShape: a filled tensor whose shape is the value of its input (shape arithmetic). */
final class ConstantOfShapeRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("ConstantOfShape");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] shape = shapes.value(node.input(0));
        if (shape == null) {
            return;
        }
        long[] y = shape.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] = y[i] == Shapes.UNKNOWN ? Shapes.DYNAMIC : y[i];
        }
        shapes.put(node.output(0), y);
        if (y.length == 1 && y[0] >= 0 && y[0] <= 64) {
            long fill = 0;
            if (node.hasAttribute("value")) {
                Tensor t = Tensor.fromProto(node.attribute("value").getT(), null);
                long[] v = t.longsOrNull();
                fill = v != null && v.length == 1 ? v[0] : Shapes.UNKNOWN;
            }
            shapes.putValue(node.output(0), Axes.filled((int) y[0], fill));
        }
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        c.block(dim, "ConstantOfShape '" + node.name() + "' makes a tensor of this shape");
    }
}
