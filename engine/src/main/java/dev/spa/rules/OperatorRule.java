package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.List;

/**
 * Everything the engine knows about one operator family: its output shapes, how a channel axis
 * passes through it, which axes of its weights start channels, how its attributes and shape
 * constants change after pruning, and its cost. Adding an operator is adding one of these.
 */
public interface OperatorRule {
    /** The ONNX op types (default domain) this rule handles. */
    List<String> opTypes();

    /** Puts the shapes (and known integer values, for shape arithmetic) of the node's outputs. */
    void inferShapes(Node node, Shapes shapes, Constants constants);

    /** Couples the tracked axis {@code dim}, on one of the node's inputs or outputs, with its other values. */
    void propagate(Node node, Dim dim, Coupling coupling);

    /**
     * Whether {@link #propagate} understands folded dims (heads folded into the batch axis, see
     * {@link Dim}); the analysis blocks them at every other rule.
     */
    default boolean followsFoldedAxes() {
        return false;
    }

    /** Axes of this node's weights whose positions are channels (output channels of a Conv, say). */
    default List<Dim> seeds(Node node, Constants constants) {
        return List.of();
    }

    /** After pruning: fixes attributes and shape inputs so the node matches its new input shapes. */
    default void rewrite(Node node, Rewrite rewrite) {
    }

    /** Multiply-accumulate operations for one inference at these shapes. */
    default long macs(Node node, Shapes shapes) {
        return 0;
    }
}
