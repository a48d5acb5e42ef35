package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.List;

/** Gemm (Linear): output feature n is a row (transB=1) or column of B and entry n of C; input feature k is B's other axis. */
final class GemmRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("Gemm");
    }

    private static int contraction(Node node, boolean forA) {
        return forA ? (node.attrInt("transA", 0) == 1 ? 0 : 1) : (node.attrInt("transB", 0) == 1 ? 1 : 0);
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] a = shapes.get(node.input(0));
        long[] b = shapes.get(node.input(1));
        if (a == null || b == null) {
            return;
        }
        shapes.put(node.output(0), new long[] {a[1 - contraction(node, true)], b[1 - contraction(node, false)]});
    }

    @Override
    public List<Dim> seeds(Node node, Constants constants) {
        return constants.isConstant(node.input(1)) ? List.of(new Dim(node.input(1), 1 - contraction(node, false))) : List.of();
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        Dim aRows = new Dim(node.input(0), 1 - contraction(node, true));
        Dim aIn = new Dim(node.input(0), contraction(node, true));
        Dim bIn = new Dim(node.input(1), contraction(node, false));
        Dim bOut = new Dim(node.input(1), 1 - contraction(node, false));
        Dim yRows = new Dim(node.output(0), 0);
        Dim yOut = new Dim(node.output(0), 1);
        long[] cShape = node.hasInput(2) ? c.shapes().get(node.input(2)) : null;
        Dim cOut = cShape != null && cShape.length >= 1 && cShape[cShape.length - 1] > 1
                ? new Dim(node.input(2), cShape.length - 1) : null;
        if (dim.equals(yOut) || dim.equals(bOut) || dim.equals(cOut)) {
            c.identity(yOut, bOut);
            c.role(bOut, Role.OUTPUT);
            if (cOut != null) {
                c.identity(yOut, cOut);
                c.role(cOut, Role.OUTPUT);
            }
        } else if (dim.equals(aIn) || dim.equals(bIn)) {
            c.identity(aIn, bIn);
            c.role(bIn, Role.INPUT);
        } else if (dim.equals(aRows) || dim.equals(yRows)) {
            c.identity(aRows, yRows);
        } else {
            c.block(dim, "Gemm '" + node.name() + "' cannot follow " + dim);
        }
    }

    @Override
    public long macs(Node node, Shapes shapes) {
        long[] y = shapes.get(node.output(0));
        long[] a = shapes.get(node.input(0));
        if (y == null || a == null) {
            return 0;
        }
        return Math.max(1, y[0]) * y[1] * a[contraction(node, true)];
    }
}
