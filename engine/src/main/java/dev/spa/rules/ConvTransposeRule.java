package dev.spa.rules;

import dev.spa.ir.InvalidModelException;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.List;

/** ConvTranspose: weight [C_in, C_out/group, k...]; input channel c is weight row c, output channel m is weight column m. */
final class ConvTransposeRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("ConvTranspose");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] x = shapes.get(node.input(0));
        long[] w = shapes.get(node.input(1));
        if (x == null || w == null) {
            return;
        }
        if (x.length < 3 || w.length != x.length) {
            throw new InvalidModelException(node + " has an input of rank " + x.length + " and a weight of rank " + w.length
                    + "; a transposed convolution needs both of the same rank, 3 or more");
        }
        int spatial = x.length - 2;
        long groups = node.attrInt("group", 1);
        long[] strides = Axes.ints(node, "strides", Axes.filled(spatial, 1));
        long[] dilations = Axes.ints(node, "dilations", Axes.filled(spatial, 1));
        long[] pads = Axes.ints(node, "pads", Axes.filled(2 * spatial, 0));
        long[] outputPadding = Axes.ints(node, "output_padding", Axes.filled(spatial, 0));
        long[] outputShape = node.attrInts("output_shape");
        long[] y = new long[x.length];
        y[0] = x[0];
        y[1] = w[1] * groups;
        for (int i = 0; i < spatial; i++) {
            if (outputShape != null) {
                y[i + 2] = outputShape[outputShape.length - spatial + i];
            } else if (x[i + 2] < 0) {
                y[i + 2] = Shapes.DYNAMIC;
            } else {
                y[i + 2] = strides[i] * (x[i + 2] - 1) + outputPadding[i] + (w[i + 2] - 1) * dilations[i] + 1 - pads[i] - pads[i + spatial];
            }
        }
        shapes.put(node.output(0), y);
    }

    @Override
    public List<Dim> seeds(Node node, Constants constants) {
        boolean plain = node.attrInt("group", 1) == 1;
        return plain && constants.isConstant(node.input(1)) ? List.of(new Dim(node.input(1), 1)) : List.of();
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        long groups = node.attrInt("group", 1);
        Dim x = new Dim(node.input(0), 1);
        Dim w0 = new Dim(node.input(1), 0);
        Dim w1 = new Dim(node.input(1), 1);
        Dim y = new Dim(node.output(0), 1);
        Dim b = node.hasInput(2) ? new Dim(node.input(2), 0) : null;
        if (dim.equals(x) || dim.equals(w0)) {
            c.identity(x, w0);
            c.role(w0, Role.INPUT);
            if (groups > 1) {
                c.chunks(x, y, (int) groups);
            }
        } else if (dim.equals(y) || dim.equals(w1) || dim.equals(b)) {
            if (groups == 1) {
                c.identity(y, w1);
                c.role(w1, Role.OUTPUT);
            } else {
                c.chunks(y, x, (int) groups);
            }
            if (b != null) {
                c.identity(y, b);
                c.role(b, Role.OUTPUT);
            }
        } else {
            c.block(dim, "ConvTranspose '" + node.name() + "' cannot follow axis " + dim.axis() + " of '" + dim.value() + "'");
        }
    }

    @Override
    public void rewrite(Node node, Rewrite r) {
        long groups = node.attrInt("group", 1);
        if (groups > 1) {
            long oldChannels = r.original().require(node.input(0))[1];
            node.setAttrInt("group", r.prunedShape(node.input(0))[1] / (oldChannels / groups));
        }
    }

    @Override
    public long macs(Node node, Shapes shapes) {
        long[] w = shapes.get(node.input(1));
        long[] x = shapes.get(node.input(0));
        if (w == null || x == null) {
            return 0;
        }
        return Shapes.product(w, 0, w.length) * Math.max(0, Shapes.product(x, 2, x.length));
    }
}
