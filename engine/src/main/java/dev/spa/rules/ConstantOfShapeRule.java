package dev.spa.rules;

import dev.spa.SpaException;
import dev.spa.ir.Graph;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;
import dev.spa.ir.Tensor;

import java.util.List;
import java.util.function.Function;

/**
 * ConstantOfShape: a filled tensor whose shape is the value of its input (shape arithmetic). Every position
 * holds the same fill, so an output axis can lose positions freely when the size of that axis is a constant
 * the exporter wrote into the shape (a ViT's class token, {@code zeros(batch, 1, width) + cls}): the surgery
 * writes the pruned size there. A size computed from another tensor is not followed.
 */
final class ConstantOfShapeRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("ConstantOfShape");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] shape = shapes.value(node.input(0));
        if (shape == null) {
            return;
        }
        long[] y = shape.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] = y[i] == Shapes.UNKNOWN ? Shapes.DYNAMIC : y[i];
        }
        shapes.put(node.output(0), y);
        if (y.length == 1 && y[0] >= 0 && y[0] <= 64) {
            long fill = 0;
            if (node.hasAttribute("value")) {
                Tensor t = Tensor.fromProto(node.attribute("value").getT(), null);
                long[] v = t.longsOrNull();
                fill = v != null && v.length == 1 ? v[0] : Shapes.UNKNOWN;
            }
            shapes.putValue(node.output(0), Axes.filled((int) y[0], fill));
        }
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        Graph g = c.graph();
        boolean output = dim.value().equals(node.output(0));
        ConstantSize size = output && !dim.folded() ? ConstantSize.find(g::constant, g::producer, c.shapes(), node.input(0), dim.axis()) : null;
        // a Concat shared with other consumers would change their shapes too
        boolean shared = size != null && size.concat() != null && g.consumers(node.input(0)).size() != 1;
        if (size == null || shared) {
            c.block(dim, "ConstantOfShape '" + node.name() + "' makes a tensor of this shape");
        }
        // else: nothing to couple; every position is the fill, and the rewrite writes the new size
    }

    @Override
    public void rewrite(Node node, Rewrite r) {
        long[] original = r.original().require(node.output(0));
        long[] pruned = r.prunedShape(node.output(0));
        for (int axis = 0; axis < pruned.length; axis++) {
            if (pruned[axis] != original[axis]) {
                ConstantSize size = ConstantSize.find(r::constant, r::producer, r.original(), node.input(0), axis);
                if (size == null) {
                    throw new SpaException("ConstantOfShape '" + node.name() + "': size " + axis + " is not a constant");
                }
                size.replace(r, node, pruned[axis]);
            }
        }
    }

    /**
     * Where size {@code axis} of a shape value is written: element {@code element} of the constant that is input
     * {@code input} of the Concat that builds the shape, or of the ConstantOfShape itself where {@code concat} is null.
     */
    private record ConstantSize(Node concat, int input, int element) {
        static ConstantSize find(Function<String, Tensor> constant, Function<String, Node> producer, Shapes shapes,
                                 String shapeValue, int axis) {
            if (constant.apply(shapeValue) != null) {
                return new ConstantSize(null, 0, axis);
            }
            Node concat = producer.apply(shapeValue);
            if (concat == null || !concat.opType().equals("Concat")) {
                return null;
            }
            int start = 0;
            for (int i = 0; i < concat.inputs().size(); i++) {
                long[] part = shapes.get(concat.input(i));
                if (part == null || part.length > 1 || (part.length == 1 && part[0] < 0)) {
                    return null;
                }
                int length = part.length == 0 ? 1 : (int) part[0];
                if (axis < start + length) {
                    return constant.apply(concat.input(i)) == null ? null : new ConstantSize(concat, i, axis - start);
                }
                start += length;
            }
            return null;
        }

        void replace(Rewrite r, Node constantOfShape, long size) {
            Node owner = concat == null ? constantOfShape : concat;
            long[] values = r.constant(owner.input(input)).longsOrNull().clone();
            values[element] = size;
            r.replaceWithLongs(owner, input, values);
        }
    }
}
