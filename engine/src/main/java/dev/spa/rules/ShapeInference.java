package dev.spa.rules;

import dev.spa.SpaException;
import dev.spa.ir.Graph;
import dev.spa.ir.InvalidModelException;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

/**
 * Static shape inference in topological order by the operator rules. A node whose shapes cannot
 * be inferred (no rule, dynamic parameters) leaves its outputs unknown; the analysis then blocks
 * any channel axis that reaches them instead of guessing. A node that breaks the format itself (a
 * rule throws {@link InvalidModelException}) stops the inference: no runtime would load the model.
 */
public final class ShapeInference {
    private ShapeInference() {
    }

    public static Shapes infer(Graph graph, OperatorRules rules) {
        return infer(graph, rules, Shapes.seed(graph));
    }

    /** Shapes for one inference with every dynamic input axis (batch, length) taken as 1. */
    public static Shapes inferAtUnitSize(Graph graph, OperatorRules rules) {
        return infer(graph, rules, Shapes.seed(graph, true));
    }

    private static Shapes infer(Graph graph, OperatorRules rules, Shapes shapes) {
        for (Node node : graph.nodes()) {
            OperatorRule rule = rules.find(node);
            if (rule == null) {
                continue;
            }
            try {
                rule.inferShapes(node, shapes, graph::constant);
            } catch (InvalidModelException e) {
                throw e;
            } catch (SpaException | ArithmeticException | IndexOutOfBoundsException e) {
                // leave this node's outputs unknown: axes reaching them are blocked with a reason
            }
        }
        return shapes;
    }
}
