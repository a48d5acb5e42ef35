package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.ArrayList;
import java.util.List;

/**
 * Element-wise operators with broadcasting (Add, Sub, Mul, Div, residuals, squeeze-excitation
 * scaling, PRelu, Where, ...): aligned axes of equal size go together; a broadcast axis of size 1
 * couples nothing. Small integer inputs are evaluated, for shape arithmetic.
 */
final class ElementwiseRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "PRelu", "Where",
                "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "And", "Or", "Xor", "Mod", "BitShift");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        List<long[]> in = new ArrayList<>();
        for (String i : node.inputs()) {
            long[] s = shapes.get(i);
            if (s == null) {
                return;
            }
            in.add(s);
        }
        long[] out = Axes.broadcast(in.toArray(new long[0][]));
        shapes.put(node.output(0), out);
        if (out.length <= 1) {
            long[] value = evaluate(node, shapes, out.length == 0 ? 1 : (int) Math.max(out[0], 0));
            if (value != null) {
                shapes.putValue(node.output(0), value);
            }
        }
    }

    /** Integer shape arithmetic on known (possibly partly unknown) vectors. */
    private static long[] evaluate(Node node, Shapes shapes, int n) {
        List<long[]> in = new ArrayList<>();
        for (String i : node.inputs()) {
            long[] v = shapes.value(i);
            if (v == null) {
                return null;
            }
            in.add(v);
        }
        long[] out = new long[n];
        for (int k = 0; k < n; k++) {
            long[] args = new long[in.size()];
            for (int j = 0; j < args.length; j++) {
                long[] v = in.get(j);
                if (v.length == 0) {
                    return null;
                }
                args[j] = v.length == 1 ? v[0] : v[k];
            }
            out[k] = apply(node.opType(), args);
        }
        return out;
    }

    private static long apply(String op, long[] a) {
        if (op.equals("Where")) {
            return a[0] == Shapes.UNKNOWN ? Shapes.UNKNOWN : (a[0] != 0 ? a[1] : a[2]);
        }
        if (a.length != 2 || a[0] == Shapes.UNKNOWN || a[1] == Shapes.UNKNOWN) {
            return Shapes.UNKNOWN;
        }
        switch (op) {
            case "Add": return a[0] + a[1];
            case "Sub": return a[0] - a[1];
            case "Mul": return a[0] * a[1];
            case "Div": return a[1] == 0 ? Shapes.UNKNOWN : Math.floorDiv(a[0], a[1]);
            case "Max": return Math.max(a[0], a[1]);
            case "Min": return Math.min(a[0], a[1]);
            case "Equal": return a[0] == a[1] ? 1 : 0;
            case "Greater": return a[0] > a[1] ? 1 : 0;
            case "Less": return a[0] < a[1] ? 1 : 0;
            default: return Shapes.UNKNOWN;
        }
    }

    @Override
    public boolean followsFoldedAxes() {
        return true;
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        Shapes shapes = c.shapes();
        int outRank = shapes.rank(node.output(0));
        int outAxis = dim.axis() + outRank - shapes.rank(dim.value());
        long size = shapes.get(dim.value())[dim.axis()];
        long[] outShape = shapes.get(node.output(0));
        if (!dim.value().equals(node.output(0)) && outShape != null && outAxis >= 0 && outShape[outAxis] == size) {
            // From an input, coupling the output is enough: the output's own propagation reaches every
            // other input. Coupling them all from each input would make a Sum of n inputs cost n².
            c.identity(dim, dim.on(node.output(0), outAxis));
            return;
        }
        List<String> values = new ArrayList<>(node.inputs());
        values.add(node.output(0));
        for (String v : values) {
            long[] s = shapes.get(v);
            if (v.isEmpty() || v.equals(dim.value()) || s == null) {
                continue;
            }
            int axis = outAxis - (outRank - s.length);
            if (axis >= 0 && s[axis] == size) {
                c.identity(dim, dim.on(v, axis));
            }
        }
    }
}
