package dev.spa.load;

import dev.spa.onnx.Onnx.ModelProto;
import dev.spa.onnx.Onnx.TensorProto;
import dev.spa.testing.GraphBuilder;

/**
 * Small files that once held a stage hostage or crashed it (issue 13): a Sum of 20,000 branches (the
 * analysis was quadratic in fan-in), a Conv of group 0 (division by zero), a tensor declared with 10^12
 * elements and no values (gigabytes allocated before the refusal), two nodes of one name.
 */
final class HostileModels {
    private HostileModels() {
    }

    static byte[] build(String kind) {
        return switch (kind) {
            case "wide-sum" -> wideSum(20_000);
            case "conv-group-0" -> conv().opAttrs("Conv", "y", new String[] {"x", "W"}, "group", 0L).bytes();
            case "declared-huge" -> declaredHuge();
            case "duplicate-names" -> duplicateNames();
            default -> throw new IllegalArgumentException("no hostile model '" + kind + "'");
        };
    }

    private static GraphBuilder conv() {
        return new GraphBuilder().input("x", 1, 4, 8, 8).output("y").weight("W", 8, 4, 3, 3);
    }

    private static byte[] wideSum(int branches) {
        GraphBuilder b = new GraphBuilder().input("x", 1, 4, 8, 8).output("y").weight("W", 8, 4, 1, 1).op("Conv", "c", "x", "W");
        String[] names = new String[branches];
        for (int i = 0; i < branches; i++) {
            names[i] = "r" + i;
            b.op("Relu", names[i], "c");
        }
        return b.op("Sum", "y", names).bytes();
    }

    private static byte[] declaredHuge() {
        ModelProto m = conv().op("Conv", "y", "x", "W").proto();
        TensorProto huge = TensorProto.newBuilder().setName("W").setDataType(1).addDims(1_000_000).addDims(1_000_000).build();
        return m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0, huge)).build().toByteArray();
    }

    private static byte[] duplicateNames() {
        ModelProto m = conv().op("Conv", "c", "x", "W").op("Relu", "y", "c").proto();
        return m.toBuilder().setGraph(m.getGraph().toBuilder().setNode(1, m.getGraph().getNode(1).toBuilder()
                .setName(m.getGraph().getNode(0).getName()))).build().toByteArray();
    }
}
