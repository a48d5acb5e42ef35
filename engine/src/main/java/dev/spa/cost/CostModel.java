package dev.spa.cost;

import dev.spa.ir.DataType;
import dev.spa.ir.Graph;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;
import dev.spa.ir.Tensor;
import dev.spa.rules.OperatorRule;
import dev.spa.rules.OperatorRules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts parameters (elements of floating-point constants) and MACs (from each operator rule) at
 * given shapes, so the same code prices the original model and any plan before any surgery.
 */
public final class CostModel {
    private final Graph graph;
    private final OperatorRules rules;

    public CostModel(Graph graph, OperatorRules rules) {
        this.graph = graph;
        this.rules = rules;
    }

    public Cost total(Shapes shapes) {
        long params = 0;
        for (Tensor t : graph.constants().values()) {
            params += parameterCount(t, shapes);
        }
        long macs = 0;
        for (Node n : graph.nodes()) {
            macs += macs(n, shapes);
        }
        return new Cost(params, macs);
    }

    /** Cost per node that has weights or MACs, in graph order. */
    public Map<String, Cost> perLayer(Shapes shapes) {
        Map<String, Cost> out = new LinkedHashMap<>();
        for (Node n : graph.nodes()) {
            long params = 0;
            for (String in : n.inputs()) {
                Tensor t = graph.constant(in);
                if (t != null) {
                    params += parameterCount(t, shapes);
                }
            }
            long macs = macs(n, shapes);
            if (params > 0 || macs > 0) {
                out.put(n.name(), new Cost(params, macs));
            }
        }
        return out;
    }

    private long macs(Node n, Shapes shapes) {
        OperatorRule rule = rules.find(n);
        return rule == null ? 0 : rule.macs(n, shapes);
    }

    private static long parameterCount(Tensor t, Shapes shapes) {
        int type = t.dataType();
        if (type != DataType.FLOAT && type != DataType.FLOAT16 && type != DataType.DOUBLE && type != DataType.BFLOAT16) {
            return 0;
        }
        long[] dims = shapes.get(t.name());
        return dims == null ? t.numel() : Shapes.product(dims, 0, dims.length);
    }
}
