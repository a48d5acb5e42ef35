package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.List;

/** Pooling (windowed and global): channels pass straight through, spatial axes shrink. */
final class PoolRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] x = shapes.get(node.input(0));
        if (x == null) {
            return;
        }
        long[] y;
        if (node.opType().startsWith("Global")) {
            y = x.clone();
            for (int i = 2; i < y.length; i++) {
                y[i] = 1;
            }
        } else {
            y = Spatial.windowOutput(node, x, x[1], node.attrInts("kernel_shape"), node.attrInt("ceil_mode", 0) == 1);
        }
        shapes.put(node.output(0), y);
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        if (dim.axis() > 1) {
            return;
        }
        if (node.outputs().size() > 1 && !node.output(1).isEmpty()) {
            c.block(dim, node.opType() + " '" + node.name() + "' returns indices that encode channel positions");
            return;
        }
        c.identity(new Dim(node.input(0), dim.axis()), new Dim(node.output(0), dim.axis()));
    }
}
