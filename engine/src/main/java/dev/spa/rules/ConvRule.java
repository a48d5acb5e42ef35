package dev.spa.rules;

import dev.spa.ir.InvalidModelException;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.Arrays;
import java.util.List;

/**
 * Conv: output channel m is weight row m and bias m; input channel c is weight column c. A grouped
 * or depthwise Conv ties each group's input and output channels together, so whole groups are
 * pruned and the group count follows.
 */
final class ConvRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("Conv");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] x = shapes.get(node.input(0));
        long[] w = shapes.get(node.input(1));
        if (w == null) {
            return;
        }
        if (w.length < 3) {
            throw new InvalidModelException(node + " has a weight of rank " + w.length + "; a convolution's weight has rank 3 or more");
        }
        if (x == null) {
            // input shape unknown (after an operator with no rule): the output channels are still the weight's rows
            long[] y = Axes.filled(w.length, Shapes.DYNAMIC);
            y[1] = w[0];
            shapes.put(node.output(0), y);
            return;
        }
        if (x.length != w.length) {
            throw new InvalidModelException(node + " has an input of rank " + x.length + " and a weight of rank " + w.length
                    + "; a convolution needs both of the same rank, 3 or more");
        }
        long group = node.attrInt("group", 1);
        if (x[1] >= 0 && w[1] >= 0 && x[1] != w[1] * group) {
            throw new InvalidModelException(node + ": its input has " + x[1] + " channels, its weight expects " + w[1] + " per group x "
                    + group + " groups");
        }
        long[] kernel = Arrays.copyOfRange(w, 2, w.length);
        shapes.put(node.output(0), Spatial.windowOutput(node, x, w[0], kernel, false));
    }

    @Override
    public List<Dim> seeds(Node node, Constants constants) {
        return constants.isConstant(node.input(1)) ? List.of(new Dim(node.input(1), 0)) : List.of();
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        long groups = node.attrInt("group", 1);
        Dim x = new Dim(node.input(0), 1);
        Dim w0 = new Dim(node.input(1), 0);
        Dim w1 = new Dim(node.input(1), 1);
        Dim y = new Dim(node.output(0), 1);
        if (dim.equals(y) || dim.equals(w0) || (node.hasInput(2) && dim.equals(new Dim(node.input(2), 0)))) {
            c.identity(y, w0);
            c.role(w0, Role.OUTPUT);
            if (node.hasInput(2)) {
                Dim b = new Dim(node.input(2), 0);
                c.identity(y, b);
                c.role(b, Role.OUTPUT);
            }
            if (groups > 1) {
                c.chunks(y, x, (int) groups);
            }
        } else if (dim.equals(x) || dim.equals(w1)) {
            if (groups == 1) {
                c.identity(x, w1);
                c.role(w1, Role.INPUT);
            } else {
                c.chunks(x, y, (int) groups);
            }
        } else if (!node.inputs().contains(dim.value()) || dim.axis() < 2) {
            c.block(dim, "Conv '" + node.name() + "' cannot follow axis " + dim.axis() + " of '" + dim.value() + "'");
        }
    }

    @Override
    public void rewrite(Node node, Rewrite r) {
        long groups = node.attrInt("group", 1);
        if (groups == 1) {
            return;
        }
        long oldChannels = r.original().require(node.input(0))[1];
        long newChannels = r.prunedShape(node.input(0))[1];
        node.setAttrInt("group", newChannels / (oldChannels / groups));
    }

    @Override
    public long macs(Node node, Shapes shapes) {
        long[] w = shapes.get(node.input(1));
        long[] y = shapes.get(node.output(0));
        if (w == null || y == null) {
            return 0;
        }
        return Shapes.product(w, 0, w.length) * Math.max(0, Shapes.product(y, 2, y.length));
    }
}
