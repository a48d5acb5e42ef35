package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.Arrays;
import java.util.List;

/** Concat: along the concatenation axis input k occupies an offset range of the output; other axes are shared. */
final class ConcatRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("Concat");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] first = shapes.get(node.input(0));
        if (first == null) {
            return;
        }
        int axis = Shapes.axis(node.attrInt("axis", 0), first.length);
        long[] out = first.clone();
        out[axis] = 0;
        long[] value = first.length == 1 ? new long[0] : null;
        for (String in : node.inputs()) {
            long[] s = shapes.get(in);
            if (s == null) {
                return;
            }
            out[axis] = out[axis] < 0 || s[axis] < 0 ? Shapes.DYNAMIC : out[axis] + s[axis];
            long[] v = shapes.value(in);
            if (value != null && v != null) {
                long[] joined = Arrays.copyOf(value, value.length + v.length);
                System.arraycopy(v, 0, joined, value.length, v.length);
                value = joined;
            } else {
                value = null;
            }
        }
        shapes.put(node.output(0), out);
        if (value != null) {
            shapes.putValue(node.output(0), value);
        }
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        Shapes shapes = c.shapes();
        int axis = Shapes.axis(node.attrInt("axis", 0), shapes.rank(node.output(0)));
        Dim out = new Dim(node.output(0), dim.axis());
        if (!dim.value().equals(node.output(0)) && c.tracked(out)) {
            // the output's own propagation couples every input, so a Concat of n inputs costs n, not n²
            return;
        }
        if (dim.axis() != axis) {
            for (String in : node.inputs()) {
                c.identity(new Dim(in, dim.axis()), out);
            }
            return;
        }
        int offset = 0;
        for (String in : node.inputs()) {
            long size = shapes.get(in)[axis];
            if (size < 0) {
                c.block(dim, "Concat '" + node.name() + "' has an input of unknown size on its axis");
                return;
            }
            if (size > 0 && (dim.value().equals(in) || dim.equals(out))) {
                c.offset(new Dim(in, axis), out, offset);
            }
            offset += (int) size;
        }
    }
}
