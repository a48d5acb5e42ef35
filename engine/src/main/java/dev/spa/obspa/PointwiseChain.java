package dev.spa.obspa;

import dev.spa.ir.Graph;
import dev.spa.ir.Node;
import dev.spa.ir.Tensor;

import java.util.function.DoubleUnaryOperator;

/**
 * A value computed from another by element-wise steps only (activations, and arithmetic with a scalar constant), as
 * the function that maps one to the other: what lets x · g(x) (GELU written with Erf, SiLU as x · Sigmoid(x)) be
 * integrated as one activation instead of a product of two independent factors.
 */
final class PointwiseChain {
    private static final int MAX_STEPS = 8;

    private PointwiseChain() {
    }

    /** g with value = g(source) element-wise, or null where the value is not such a chain of the source. */
    static DoubleUnaryOperator of(Graph graph, String value, String source) {
        return of(graph, value, source, 0);
    }

    private static DoubleUnaryOperator of(Graph graph, String value, String source, int steps) {
        if (value.equals(source)) {
            return x -> x;
        }
        Node n = graph.producer(value);
        if (n == null || steps >= MAX_STEPS) {
            return null;
        }
        DoubleUnaryOperator f = PointwiseMoments.function(n, graph);
        if (f != null) {
            DoubleUnaryOperator inner = of(graph, n.input(0), source, steps + 1);
            return inner == null ? null : inner.andThen(f);
        }
        if (n.inputs().size() != 2) {
            return null;
        }
        int constant = scalar(graph, n.input(1)) != null ? 1 : scalar(graph, n.input(0)) != null ? 0 : -1;
        if (constant < 0) {
            return null;
        }
        double k = scalar(graph, n.input(constant));
        DoubleUnaryOperator inner = of(graph, n.input(1 - constant), source, steps + 1);
        if (inner == null) {
            return null;
        }
        boolean first = constant == 0;
        switch (n.opType()) {
            case "Add": return inner.andThen(x -> x + k);
            case "Sub": return inner.andThen(x -> first ? k - x : x - k);
            case "Mul": return inner.andThen(x -> x * k);
            case "Div": return inner.andThen(x -> first ? k / x : x / k);
            default: return null;
        }
    }

    private static Double scalar(Graph graph, String value) {
        Tensor t = graph.constant(value);
        return t != null && t.isFloat() && t.numel() == 1 ? (double) t.floats()[0] : null;
    }
}
