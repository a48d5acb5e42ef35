package dev.spa.rules;

import dev.spa.SpaException;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.List;

/** Split: output k is an offset range of the input along the split axis; the sizes follow pruning. */
final class SplitRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("Split");
    }

    private static long[] sizes(Node node, Shapes shapes) {
        long[] x = shapes.require(node.input(0));
        int axis = Shapes.axis(node.attrInt("axis", 0), x.length);
        long[] split = node.attrInts("split");
        if (split == null && node.hasInput(1)) {
            split = shapes.value(node.input(1));
            if (!Shapes.allKnown(split)) {
                throw new SpaException("Split '" + node.name() + "' has split sizes that are not constant");
            }
        }
        if (split == null) {
            int n = node.outputs().size();
            if (x[axis] < 0 || x[axis] % n != 0) {
                throw new SpaException("Split '" + node.name() + "' cannot split " + x[axis] + " into " + n + " equal parts");
            }
            split = Axes.filled(n, x[axis] / n);
        }
        if (split.length != node.outputs().size()) {
            throw new SpaException("Split '" + node.name() + "' has " + split.length + " sizes for " + node.outputs().size() + " outputs");
        }
        return split;
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] x = shapes.get(node.input(0));
        if (x == null) {
            return;
        }
        int axis = Shapes.axis(node.attrInt("axis", 0), x.length);
        long[] split = sizes(node, shapes);
        for (int k = 0; k < node.outputs().size(); k++) {
            long[] y = x.clone();
            y[axis] = split[k];
            shapes.put(node.output(k), y);
        }
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        int axis = Shapes.axis(node.attrInt("axis", 0), c.shapes().rank(node.input(0)));
        Dim in = new Dim(node.input(0), dim.axis());
        if (!dim.value().equals(node.input(0)) && c.tracked(in)) {
            // the input's own propagation couples every output, so a Split into n costs n, not n²
            return;
        }
        if (dim.axis() != axis) {
            for (String out : node.outputs()) {
                c.identity(in, new Dim(out, dim.axis()));
            }
            return;
        }
        long[] split = sizes(node, c.shapes());
        int offset = 0;
        for (int k = 0; k < node.outputs().size(); k++) {
            if (split[k] > 0) {
                c.offset(new Dim(node.output(k), axis), in, offset);
            }
            offset += (int) split[k];
        }
    }

    @Override
    public void rewrite(Node node, Rewrite r) {
        int axis = Shapes.axis(node.attrInt("axis", 0), r.original().rank(node.input(0)));
        if (r.kept(new Dim(node.input(0), axis)) == null) {
            return;
        }
        long[] split = new long[node.outputs().size()];
        for (int k = 0; k < split.length; k++) {
            split[k] = r.prunedShape(node.output(k))[axis];
        }
        if (node.hasAttribute("split")) {
            node.setAttrInts("split", split);
        } else {
            node.removeAttribute("num_outputs");
            r.replaceWithLongs(node, 1, split);
        }
    }
}
