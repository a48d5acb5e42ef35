package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.Arrays;
import java.util.List;

/**
 * MatMul [..., M, K] x [..., K, N]: the contracted axes go together, rows follow A, columns follow B,
 * batch axes broadcast. With a constant B it is a linear layer whose columns start channels.
 */
final class MatMulRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("MatMul");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] a = shapes.get(node.input(0));
        long[] b = shapes.get(node.input(1));
        if (a == null || b == null || a.length < 2 || b.length < 2) {
            return;
        }
        long[] batch = Axes.broadcast(Arrays.copyOf(a, a.length - 2), Arrays.copyOf(b, b.length - 2));
        long[] y = Arrays.copyOf(batch, batch.length + 2);
        y[batch.length] = a[a.length - 2];
        y[batch.length + 1] = b[b.length - 1];
        shapes.put(node.output(0), y);
    }

    @Override
    public List<Dim> seeds(Node node, Constants constants) {
        if (!constants.isConstant(node.input(1))) {
            return List.of();
        }
        int rank = constants.get(node.input(1)).rank();
        return rank >= 2 ? List.of(new Dim(node.input(1), rank - 1)) : List.of();
    }

    @Override
    public boolean followsFoldedAxes() {
        return true;
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        int ra = c.shapes().rank(node.input(0));
        int rb = c.shapes().rank(node.input(1));
        int ry = c.shapes().rank(node.output(0));
        if (ra < 2 || rb < 2 || ry < 2) {
            c.block(dim, "MatMul '" + node.name() + "' with a 1-D operand");
            return;
        }
        if (dim.folded()) {
            // attention heads folded into a batch axis: a batched MatMul keeps each head apart
            if (dim.axis() < c.shapes().rank(dim.value()) - 2) {
                linkBatchAxis(node, dim, c, ry);
            } else {
                c.block(dim, "MatMul '" + node.name() + "' multiplies over the axis the heads are folded into");
            }
            return;
        }
        Dim aIn = new Dim(node.input(0), ra - 1);
        Dim bIn = new Dim(node.input(1), rb - 2);
        Dim bOut = new Dim(node.input(1), rb - 1);
        Dim yOut = new Dim(node.output(0), ry - 1);
        Dim aRows = new Dim(node.input(0), ra - 2);
        Dim yRows = new Dim(node.output(0), ry - 2);
        boolean constantB = c.graph().isConstant(node.input(1));
        if (dim.equals(aIn) || dim.equals(bIn)) {
            c.identity(aIn, bIn);
            if (constantB) {
                c.role(bIn, Role.INPUT);
            }
        } else if (dim.equals(bOut) || dim.equals(yOut)) {
            c.identity(bOut, yOut);
            if (constantB) {
                c.role(bOut, Role.OUTPUT);
            }
        } else if (dim.equals(aRows) || dim.equals(yRows)) {
            c.identity(aRows, yRows);
        } else {
            linkBatchAxis(node, dim, c, ry);
        }
    }

    private static void linkBatchAxis(Node node, Dim dim, Coupling c, int ry) {
        int rank = c.shapes().rank(dim.value());
        int outAxis = dim.axis() + (ry - rank);
        long size = c.shapes().get(dim.value())[dim.axis()];
        for (String v : List.of(node.input(0), node.input(1), node.output(0))) {
            int r = c.shapes().rank(v);
            int axis = outAxis - (ry - r);
            if (!v.equals(dim.value()) && axis >= 0 && axis < r - 2 && c.shapes().get(v)[axis] == size) {
                c.identity(dim, dim.on(v, axis));
            }
        }
    }

    @Override
    public long macs(Node node, Shapes shapes) {
        long[] y = shapes.get(node.output(0));
        long[] a = shapes.get(node.input(0));
        if (y == null || a == null) {
            return 0;
        }
        long batchOne = 1;
        for (long d : y) {
            batchOne *= Math.max(1, d);
        }
        return batchOne * a[a.length - 1];
    }
}
