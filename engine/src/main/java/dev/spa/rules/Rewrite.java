package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;
import dev.spa.ir.Tensor;

/** What a rule sees while the surgery fixes a node after pruning. */
public interface Rewrite {
    /** Shapes and known integer values of the original model. */
    Shapes original();

    /** The shape of a value after pruning. */
    long[] prunedShape(String value);

    /** Original positions kept on this axis, in order, or null when the axis is not pruned. */
    int[] kept(Dim dim);

    /** The node that computes a value, or null for an input or a constant. */
    Node producer(String value);

    /** The constant behind an input, as it is now (possibly already sliced), or null. */
    Tensor constant(String value);

    /** Replaces input {@code index} of the node with a new constant holding these int64 values. */
    void replaceWithLongs(Node node, int index, long[] values);
}
