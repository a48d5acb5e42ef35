package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.List;

/** Resize and Upsample: batch and channel axes pass through (their scale is 1); explicit sizes follow pruning. */
final class ResizeRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("Resize", "Upsample");
    }

    private static int sizesInput(Node node) {
        return node.opType().equals("Resize") && node.inputs().size() >= 4 ? 3 : -1;
    }

    private static int scalesInput(Node node) {
        if (node.opType().equals("Upsample")) {
            return 1;
        }
        return node.inputs().size() >= 3 ? 2 : 1;
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] x = shapes.get(node.input(0));
        if (x == null) {
            return;
        }
        int si = sizesInput(node);
        if (si >= 0 && node.hasInput(si)) {
            long[] sizes = shapes.value(node.input(si));
            if (sizes != null && sizes.length == x.length) {
                long[] y = sizes.clone();
                for (int i = 0; i < y.length; i++) {
                    y[i] = y[i] == Shapes.UNKNOWN ? Shapes.DYNAMIC : y[i];
                }
                shapes.put(node.output(0), y);
            }
            return;
        }
        int sc = scalesInput(node);
        float[] scales = node.hasInput(sc) && constants.get(node.input(sc)) != null && constants.get(node.input(sc)).isFloat()
                ? constants.get(node.input(sc)).floats() : null;
        if (scales == null && node.hasAttribute("scales")) {
            scales = new float[node.attribute("scales").getFloatsCount()];
            for (int i = 0; i < scales.length; i++) {
                scales[i] = node.attribute("scales").getFloats(i);
            }
        }
        if (scales == null || scales.length != x.length) {
            return;
        }
        long[] y = new long[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = x[i] < 0 ? Shapes.DYNAMIC : (long) Math.floor(x[i] * scales[i]);
        }
        shapes.put(node.output(0), y);
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        if (dim.axis() > 1 || !(dim.value().equals(node.input(0)) || dim.value().equals(node.output(0)))) {
            c.block(dim, node.opType() + " '" + node.name() + "' resizes this axis");
            return;
        }
        c.identity(new Dim(node.input(0), dim.axis()), new Dim(node.output(0), dim.axis()));
    }

    @Override
    public void rewrite(Node node, Rewrite r) {
        int si = sizesInput(node);
        if (si < 0 || !node.hasInput(si) || r.constant(node.input(si)) == null) {
            return;
        }
        long[] sizes = r.constant(node.input(si)).longs();
        long channels = r.prunedShape(node.input(0))[1];
        if (sizes.length > 1 && sizes[1] != channels) {
            sizes[1] = channels;
            r.replaceWithLongs(node, si, sizes);
        }
    }
}
