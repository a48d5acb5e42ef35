package dev.spa.rules;

import dev.spa.ir.Node;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The table of operator rules by op type: the engine's whole knowledge of operators. */
public final class OperatorRules {
    private final Map<String, OperatorRule> byOpType = new HashMap<>();

    public static OperatorRules standard() {
        OperatorRules r = new OperatorRules();
        for (OperatorRule rule : List.of(new ConvRule(), new ConvTransposeRule(), new GemmRule(), new MatMulRule(),
                new ChannelNormRule(), new LayerNormRule(), new ElementwiseRule(), new UnaryRule(), new PoolRule(),
                new ReduceRule(), new ConcatRule(), new SplitRule(), new SliceRule(), new ReshapeRule(),
                new TransposeRule(), new ResizeRule(), new PadRule(), new SoftmaxRule(), new ShapeRule(),
                new ConstantOfShapeRule(), new GatherRule(), new ExpandRule(), new DepthToSpaceRule())) {
            r.register(rule);
        }
        return r;
    }

    public void register(OperatorRule rule) {
        for (String op : rule.opTypes()) {
            byOpType.put(op, rule);
        }
    }

    /** The rule for a node, or null when the engine has none (custom domains included). */
    public OperatorRule find(Node node) {
        if (!node.domain().isEmpty() && !node.domain().equals("ai.onnx")) {
            return null;
        }
        return byOpType.get(node.opType());
    }

    public Set<String> opTypes() {
        return byOpType.keySet();
    }
}
