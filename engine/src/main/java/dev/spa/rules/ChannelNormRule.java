package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.List;

/** BatchNormalization and InstanceNormalization: per-channel parameters on axis 1, nothing mixed across channels. */
final class ChannelNormRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("BatchNormalization", "InstanceNormalization");
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
        Dim x = new Dim(node.input(0), 1);
        Dim y = new Dim(node.output(0), 1);
        boolean onChannel = dim.equals(y) || dim.equals(x) || (!dim.value().equals(node.input(0)) && !dim.value().equals(node.output(0)));
        if (!onChannel) {
            c.identity(new Dim(node.input(0), dim.axis()), new Dim(node.output(0), dim.axis()));
            return;
        }
        c.identity(x, y);
        for (int i = 1; i < node.inputs().size(); i++) {
            if (node.hasInput(i)) {
                c.identity(y, new Dim(node.input(i), 0));
            }
        }
    }
}
