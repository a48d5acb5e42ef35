package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.List;

/** Gather: axes other than the gathered one pass through (shifted by the indices' rank); gathering along a channel axis blocks. */
final class GatherRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("Gather");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] data = shapes.get(node.input(0));
        long[] indices = shapes.get(node.input(1));
        if (data == null || indices == null) {
            return;
        }
        int axis = Shapes.axis(node.attrInt("axis", 0), data.length);
        long[] y = new long[data.length - 1 + indices.length];
        int k = 0;
        for (int i = 0; i < axis; i++) {
            y[k++] = data[i];
        }
        for (long d : indices) {
            y[k++] = d;
        }
        for (int i = axis + 1; i < data.length; i++) {
            y[k++] = data[i];
        }
        shapes.put(node.output(0), y);
        long[] v = shapes.value(node.input(0));
        long[] idx = shapes.value(node.input(1));
        if (v != null && idx != null && data.length == 1 && Shapes.allKnown(idx)) {
            long[] out = new long[idx.length];
            for (int i = 0; i < idx.length; i++) {
                out[i] = v[(int) (idx[i] < 0 ? idx[i] + v.length : idx[i])];
            }
            shapes.putValue(node.output(0), out);
        }
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        int rank = c.shapes().rank(node.input(0));
        int axis = Shapes.axis(node.attrInt("axis", 0), rank);
        int indexRank = c.shapes().rank(node.input(1));
        int in;
        if (dim.value().equals(node.input(0))) {
            in = dim.axis();
        } else if (dim.value().equals(node.output(0))) {
            in = dim.axis() < axis ? dim.axis() : (dim.axis() >= axis + indexRank ? dim.axis() - indexRank + 1 : axis);
        } else {
            in = axis;
        }
        if (in == axis) {
            c.block(dim, "Gather '" + node.name() + "' selects along this axis");
            return;
        }
        int out = in < axis ? in : in - 1 + indexRank;
        c.identity(new Dim(node.input(0), in), new Dim(node.output(0), out));
    }
}
