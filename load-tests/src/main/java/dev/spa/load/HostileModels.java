package dev.spa.load;

import dev.spa.modelkit.GraphBuilder;

/**
 * Small files that once held a stage hostage or crashed it (issue 13): a Sum of 20,000 branches (the
 * analysis was quadratic in fan-in), and the engine's ill-formed classes ({@link dev.spa.modelkit.HostileModels}:
 * a Conv of group 0, a tensor declared with 10^12 elements and no values, two nodes of one name...).
 */
final class HostileModels {
    private HostileModels() {
    }

    static byte[] build(String kind) {
        return switch (kind) {
            case "wide-sum" -> wideSum(20_000);
            case "conv-group-0" -> dev.spa.modelkit.HostileModels.CONV_GROUP_0.bytes();
            case "declared-huge" -> dev.spa.modelkit.HostileModels.DECLARED_HUGE.bytes();
            case "duplicate-names" -> dev.spa.modelkit.HostileModels.DUPLICATE_NODE_NAMES.bytes();
            default -> throw new IllegalArgumentException("no hostile model '" + kind + "'");
        };
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
}
