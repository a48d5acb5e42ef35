package dev.spa.ir;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds the layout operators that exporters put between an initializer and the layer that uses it
 * (Identity, Reshape, Flatten, Squeeze, Unsqueeze, Transpose, and a Cast to the same type) into
 * constants of their own. CNTK, for one, stores a MatMul weight as [16, 4, 4, 10] behind a Reshape
 * to [256, 10]; folded, the layer reads a constant weight and every pass sees it as one. Identity
 * of a constant also unshares equal initializers, so each layer is pruned on its own.
 */
final class ConstantFolding {
    private static final Set<String> FOLDED = Set.of("Identity", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Cast");

    private ConstantFolding() {
    }

    /** The nodes that remain; the folded ones' outputs are added to {@code constants}. */
    static List<Node> fold(List<Node> ordered, Map<String, Tensor> constants, Set<String> graphOutputs, int opset) {
        List<Node> kept = new ArrayList<>();
        Set<String> replaced = new HashSet<>(); // the inputs and outputs of folded nodes
        for (Node n : ordered) {
            Tensor folded = foldable(n, constants, graphOutputs) ? folded(n, constants, opset) : null;
            if (folded != null) {
                constants.put(n.output(0), folded);
                replaced.addAll(n.inputs());
                replaced.add(n.output(0));
            } else {
                kept.add(n);
            }
        }
        // what the folded constants replace (originals, intermediate steps) goes once nothing reads it
        Set<String> read = new HashSet<>(graphOutputs);
        kept.forEach(n -> read.addAll(n.inputs()));
        replaced.removeIf(read::contains);
        replaced.forEach(constants::remove);
        return kept;
    }

    private static boolean foldable(Node n, Map<String, Tensor> constants, Set<String> graphOutputs) {
        if (!n.domain().isEmpty() || !FOLDED.contains(n.opType()) || n.outputs().size() != 1 || graphOutputs.contains(n.output(0))) {
            return false;
        }
        for (String in : n.inputs()) {
            if (!in.isEmpty() && !constants.containsKey(in)) {
                return false;
            }
        }
        return !n.inputs().isEmpty() && constants.containsKey(n.input(0));
    }

    /** The node's output, or null when this pass leaves the node as it is. */
    private static Tensor folded(Node n, Map<String, Tensor> constants, int opset) {
        Tensor x = constants.get(n.input(0));
        String name = n.output(0);
        long[] dims = x.dims();
        switch (n.opType()) {
            case "Identity":
                return x.renamed(name);
            case "Cast":
                return n.attrInt("to", -1) == x.dataType() ? x.renamed(name) : null;
            case "Transpose": {
                return x.transposed(name, Shapes.permutation(n, dims.length));
            }
            case "Flatten": {
                int axis = Shapes.axis(n.attrInt("axis", 1), dims.length);
                return x.reshaped(name, new long[] {Shapes.product(dims, 0, axis), Shapes.product(dims, axis, dims.length)});
            }
            case "Reshape": {
                long[] target = n.hasInput(1) && constants.get(n.input(1)).longsOrNull() != null ? constants.get(n.input(1)).longs() : null;
                return target == null ? null : x.reshaped(name, reshapeTarget(dims, target, n.attrInt("allowzero", 0) == 1));
            }
            case "Squeeze":
            case "Unsqueeze": {
                long[] axes = opset >= 13 ? (n.hasInput(1) ? constants.get(n.input(1)).longsOrNull() : null) : n.attrInts("axes");
                if (axes == null && n.opType().equals("Unsqueeze")) {
                    return null;
                }
                return x.reshaped(name, n.opType().equals("Squeeze") ? Shapes.squeezed(dims, axes) : Shapes.unsqueezed(dims, axes));
            }
            default:
                return null;
        }
    }

    private static long[] reshapeTarget(long[] in, long[] target, boolean allowZero) {
        long[] out = target.clone();
        long known = 1;
        int unknown = -1;
        for (int a = 0; a < out.length; a++) {
            if (out[a] == 0 && !allowZero) {
                out[a] = in[a];
            }
            if (out[a] == -1) {
                unknown = a;
            } else {
                known *= out[a];
            }
        }
        if (unknown >= 0) {
            out[unknown] = Shapes.product(in, 0, in.length) / known;
        }
        return out;
    }
}
