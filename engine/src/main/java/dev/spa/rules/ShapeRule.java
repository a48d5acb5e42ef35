package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.Arrays;
import java.util.List;

/**
 * Shape and Size read only the shape of their input, so a pruned axis needs no coupling: the
 * shape arithmetic they feed is replaced by constants where the surgery needs it (Reshape, Slice).
 */
final class ShapeRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("Shape", "Size");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] x = shapes.get(node.input(0));
        if (node.opType().equals("Size")) {
            shapes.put(node.output(0), new long[0]);
            if (x != null && Shapes.isStatic(x)) {
                shapes.putValue(node.output(0), new long[] {Shapes.product(x, 0, x.length)});
            }
            return;
        }
        if (x == null) {
            return;
        }
        int start = (int) node.attrInt("start", 0);
        int end = (int) node.attrInt("end", x.length);
        start = Math.max(0, Math.min(x.length, start < 0 ? start + x.length : start));
        end = Math.max(start, Math.min(x.length, end < 0 ? end + x.length : end));
        long[] value = Arrays.copyOfRange(x, start, end);
        for (int i = 0; i < value.length; i++) {
            value[i] = value[i] < 0 ? Shapes.UNKNOWN : value[i];
        }
        shapes.put(node.output(0), new long[] {value.length});
        shapes.putValue(node.output(0), value);
    }

    @Override
    public boolean followsFoldedAxes() {
        return true;
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        // reads sizes only
    }
}
