package dev.spa.rules;

import dev.spa.SpaException;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.Arrays;
import java.util.List;

/**
 * Reshape, Flatten, Squeeze and Unsqueeze: the data keeps its row-major order, so an axis maps to an
 * output axis with the same inner stride (identity), to the outer part of a split (heads: one output
 * position is a block of input positions) or to the outer part of a merge (Flatten: one channel is
 * a block of features). Anything else is blocked. After pruning, a Reshape's target is rewritten
 * as a constant from the pruned shapes, which also replaces targets computed from Shape (keeping, as 0,
 * the sizes such a target copies from its own input, so that it stays valid at any input size).
 */
final class ReshapeRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("Reshape", "Flatten", "Squeeze", "Unsqueeze");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] x = shapes.get(node.input(0));
        if (x == null) {
            return;
        }
        long[] y;
        switch (node.opType()) {
            case "Flatten": {
                int axis = node.attrInt("axis", 1) < 0 ? (int) node.attrInt("axis", 1) + x.length : (int) node.attrInt("axis", 1);
                y = new long[] {Shapes.product(x, 0, axis), Shapes.product(x, axis, x.length)};
                break;
            }
            case "Squeeze":
                y = Shapes.squeezed(x, axes(node, shapes));
                break;
            case "Unsqueeze": {
                long[] axes = axes(node, shapes);
                y = axes == null ? null : Shapes.unsqueezed(x, axes);
                break;
            }
            default:
                y = reshape(node, x, shapes.value(node.input(1)));
        }
        if (y == null) {
            return;
        }
        shapes.put(node.output(0), y);
        long[] v = shapes.value(node.input(0));
        if (v != null) {
            shapes.putValue(node.output(0), v);
        }
    }

    private static long[] axes(Node node, Shapes shapes) {
        long[] axes = node.attrInts("axes");
        if (axes == null && node.hasInput(1)) {
            axes = shapes.value(node.input(1));
        }
        return axes;
    }

    private static long[] reshape(Node node, long[] x, long[] target) {
        if (target == null) {
            return null;
        }
        boolean allowZero = node.attrInt("allowzero", 0) == 1;
        long[] y = new long[target.length];
        int inferred = -1;
        long known = 1;
        int unknownEntries = 0;
        for (int i = 0; i < target.length; i++) {
            long t = target[i];
            if (t == Shapes.UNKNOWN) {
                y[i] = Shapes.DYNAMIC;
                unknownEntries++;
            } else if (t == 0 && !allowZero) {
                y[i] = i < x.length ? x[i] : Shapes.DYNAMIC;
                if (y[i] < 0) {
                    unknownEntries++;
                } else {
                    known *= y[i];
                }
            } else if (t == -1) {
                inferred = i;
            } else {
                y[i] = t;
                known *= t;
            }
        }
        if (inferred >= 0) {
            long staticIn = 1;
            int dynamicIn = 0;
            for (long d : x) {
                if (d < 0) {
                    dynamicIn++;
                } else {
                    staticIn *= d;
                }
            }
            // With one dynamic input dim carried into one unknown target entry (the batch), the
            // inferred dim is the ratio of the static parts.
            boolean solvable = dynamicIn == unknownEntries && dynamicIn <= 1 && known > 0 && staticIn % known == 0;
            y[inferred] = solvable ? staticIn / known : Shapes.DYNAMIC;
        }
        return y;
    }

    @Override
    public boolean followsFoldedAxes() {
        return true;
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        if (node.inputs().indexOf(dim.value()) > 0) {
            c.block(dim, node.opType() + " '" + node.name() + "' takes this value as its shape");
            return;
        }
        long[] in = c.shapes().get(node.input(0));
        long[] out = c.shapes().get(node.output(0));
        if (in == null || out == null) {
            c.block(dim, node.opType() + " '" + node.name() + "' has a shape that cannot be inferred");
            return;
        }
        boolean fromInput = dim.value().equals(node.input(0));
        ChannelShuffle shuffle = ChannelShuffle.startedBy(node, c.graph(), c.shapes());
        if (shuffle != null && shuffle.couple(node, dim, fromInput, c)) {
            return;
        }
        long[] from = fromInput ? in : out;
        long[] to = fromInput ? out : in;
        String toValue = fromInput ? node.output(0) : node.input(0);
        long inner = Shapes.product(from, dim.axis() + 1, from.length);
        long size = from[dim.axis()];
        if (inner < 0) {
            c.block(dim, node.opType() + " '" + node.name() + "' has dynamic axes after this one");
            return;
        }
        if (dim.folded()) {
            if (!unfold(dim, inner, from[dim.axis()], to, toValue, c)) {
                c.block(dim, node.opType() + " '" + node.name() + "' moves the heads folded into axis " + dim.axis()
                        + " of '" + dim.value() + "' where they cannot be followed");
            }
            return;
        }
        for (int b = 0; b < to.length; b++) {
            long toInner = Shapes.product(to, b + 1, to.length);
            if (to[b] == size && toInner == inner) {
                c.identity(dim, new Dim(toValue, b));
                return;
            }
        }
        for (int b = 0; b < to.length; b++) {
            long toInner = Shapes.product(to, b + 1, to.length);
            if (to[b] <= 1 || toInner < 0 || toInner * to[b] != inner * size) {
                continue;
            }
            if (toInner > inner && toInner % inner == 0) {
                // the other side's axis b is the outer part of ours: each of its positions is a block of ours
                c.blocks(new Dim(toValue, b), dim, (int) (toInner / inner));
                return;
            }
            if (toInner < inner && inner % toInner == 0) {
                c.blocks(dim, new Dim(toValue, b), (int) (inner / toInner));
                return;
            }
        }
        if (foldIntoDynamicAxis(dim, inner, size, to, toValue, c)) {
            return;
        }
        c.block(dim, node.opType() + " '" + node.name() + "' mixes axis " + dim.axis() + " of '" + dim.value()
                + "' with other axes (" + Arrays.toString(in) + " -> " + Arrays.toString(out) + ")");
    }

    /**
     * [T, N, H*d] -> [T, N*H, d]: the outer part of the tracked axis joins a dynamic axis as its
     * inner factor (PyTorch's multi-head attention folds heads into the batch this way). Each head
     * position of the folded dim is a block of d*inner positions of ours.
     */
    private static boolean foldIntoDynamicAxis(Dim dim, long inner, long size, long[] to, String toValue, Coupling c) {
        for (int b = 0; b < to.length; b++) {
            long toInner = Shapes.product(to, b + 1, to.length);
            if (to[b] >= 0 || toInner <= inner || toInner % inner != 0 || (size * inner) % toInner != 0) {
                continue;
            }
            int heads = (int) (size * inner / toInner);
            if (heads > 1) {
                c.blocks(new Dim(toValue, b, heads), dim, (int) (toInner / inner));
                return true;
            }
        }
        return false;
    }

    /**
     * The way back: heads folded into axis a become the outer part of a static axis of the other
     * side ([T, N*H, d] -> [T*N, H*d]), or stay folded in an axis that keeps its inner layout.
     */
    private static boolean unfold(Dim dim, long inner, long foldedSize, long[] to, String toValue, Coupling c) {
        for (int b = 0; b < to.length; b++) {
            long toInner = Shapes.product(to, b + 1, to.length);
            if (toInner < 0) {
                continue;
            }
            if (to[b] == foldedSize && toInner == inner) {
                c.identity(dim, dim.on(toValue, b));
                return true;
            }
            if (to[b] > 0 && to[b] * toInner == dim.fold() * inner && inner % toInner == 0) {
                c.blocks(dim, new Dim(toValue, b), (int) (inner / toInner));
                return true;
            }
        }
        return false;
    }

    @Override
    public void rewrite(Node node, Rewrite r) {
        if (!node.opType().equals("Reshape")) {
            return;
        }
        long[] original = r.original().require(node.output(0));
        long[] pruned = r.prunedShape(node.output(0));
        boolean computed = r.constant(node.input(1)) == null;
        if (!computed && Arrays.equals(original, pruned)) {
            return;
        }
        long[] prunedIn = r.prunedShape(node.input(0));
        long[] target = new long[pruned.length];
        boolean inferredUsed = false;
        ShapeElements.Element[] elements = computed && node.attrInt("allowzero", 0) == 0 ? ShapeElements.of(r, node.input(1)) : null;
        for (int i = 0; i < pruned.length; i++) {
            if (elements != null && elements.length == pruned.length && node.input(0).equals(elements[i].tensor())
                    && elements[i].axis() == i && i < prunedIn.length && prunedIn[i] == pruned[i]) {
                // the exporter copied this size from the input (x.view(x.size(0), ...)): copying it (0) keeps the model
                // valid at any batch and sequence length, not only at the size stated for pricing
                target[i] = 0;
            } else if (pruned[i] >= 0) {
                target[i] = pruned[i];
            } else if (!inferredUsed) {
                target[i] = -1;
                inferredUsed = true;
            } else if (node.attrInt("allowzero", 0) == 0 && i < prunedIn.length && prunedIn[i] < 0) {
                target[i] = 0;
            } else if (computed && Arrays.equals(original, pruned)) {
                return; // the computed target still holds: leave it
            } else {
                throw new SpaException("Reshape '" + node.name() + "' has several dynamic output axes; cannot rewrite its target");
            }
        }
        r.replaceWithLongs(node, 1, target);
    }
}
