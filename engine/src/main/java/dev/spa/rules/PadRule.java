package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.List;

/** Pad: unpadded axes pass through; padding a channel axis would add channels, so it blocks. */
final class PadRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("Pad");
    }

    /** Padding per axis as [begin..., end...] over all axes, or null when unknown. */
    private static long[] pads(Node node, Shapes shapes, int rank) {
        long[] pads = node.attrInts("pads");
        if (pads == null && node.hasInput(1)) {
            pads = shapes.value(node.input(1));
        }
        if (pads == null || !Shapes.allKnown(pads)) {
            return null;
        }
        long[] axes = node.hasInput(3) ? shapes.value(node.input(3)) : null;
        if (axes == null) {
            return pads.length == 2 * rank ? pads : null;
        }
        if (pads.length != 2 * axes.length) {
            return null;
        }
        long[] full = new long[2 * rank];
        for (int i = 0; i < axes.length; i++) {
            int a = Shapes.axis(axes[i], rank);
            full[a] = pads[i];
            full[a + rank] = pads[i + axes.length];
        }
        return full;
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] x = shapes.get(node.input(0));
        if (x == null) {
            return;
        }
        long[] p = pads(node, shapes, x.length);
        if (p == null) {
            return;
        }
        long[] y = x.clone();
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] < 0 ? Shapes.DYNAMIC : x[i] + p[i] + p[i + x.length];
        }
        shapes.put(node.output(0), y);
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        int rank = c.shapes().rank(node.input(0));
        long[] p = pads(node, c.shapes(), rank);
        boolean data = dim.value().equals(node.input(0)) || dim.value().equals(node.output(0));
        if (!data || p == null || p[dim.axis()] != 0 || p[dim.axis() + rank] != 0) {
            c.block(dim, "Pad '" + node.name() + "' pads this axis or has unknown padding");
            return;
        }
        c.identity(new Dim(node.input(0), dim.axis()), new Dim(node.output(0), dim.axis()));
    }
}
