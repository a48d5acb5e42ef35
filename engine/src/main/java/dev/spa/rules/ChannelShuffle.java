package dev.spa.rules;

import dev.spa.ir.Graph;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.Arrays;
import java.util.List;

/**
 * A channel shuffle as Caffe2 and several detectors export it (ShuffleNet): Reshape [N, G*C, H, W] -> [N, G, C, H, W],
 * Transpose swapping G and C, Reshape back to [N, C*G, H, W]. Input channel g*C + c becomes output channel c*G + g: a
 * fixed permutation. Pruned as it stays a shuffle: channel c of every group goes together (positions c + kC before,
 * the block [cG, cG + G) after), so each group keeps the same channels and the Reshapes' targets shrink to [G, C'].
 * The group count G is not pruned. Read from the splitting Reshape, which {@link ReshapeRule} asks.
 *
 * @param axis   the split axis of the Reshape's input (G sits at this axis of its output, C after it)
 * @param groups G
 */
record ChannelShuffle(int axis, int groups) {

    /** The shuffle a Reshape starts, or null when it is not the first of the three nodes. */
    static ChannelShuffle startedBy(Node reshape, Graph graph, Shapes shapes) {
        long[] in = shapes.get(reshape.input(0));
        long[] out = shapes.get(reshape.output(0));
        if (!reshape.opType().equals("Reshape") || in == null || out == null || out.length != in.length + 1) {
            return null;
        }
        int a = 0;
        while (a < in.length && in[a] == out[a]) {
            a++;
        }
        boolean split = a < in.length && out[a] > 1 && out[a + 1] > 1 && in[a] == out[a] * out[a + 1]
                && Arrays.equals(Arrays.copyOfRange(in, a + 1, in.length), Arrays.copyOfRange(out, a + 2, out.length));
        if (!split) {
            return null;
        }
        Node transpose = onlyConsumer(graph, reshape.output(0), "Transpose");
        if (transpose == null || !swaps(Shapes.permutation(transpose, out.length), a)) {
            return null;
        }
        Node back = onlyConsumer(graph, transpose.output(0), "Reshape");
        return back != null && Arrays.equals(shapes.get(back.output(0)), in) ? new ChannelShuffle(a, (int) out[a]) : null;
    }

    /**
     * Couples a dim of the splitting Reshape: its input's split axis with the per-group channel axis (strided), that
     * axis back to the input, the group axis blocked. False for the other axes, which the Reshape maps as usual.
     */
    boolean couple(Node reshape, Dim dim, boolean fromInput, Coupling c) {
        if (dim.folded()) {
            return false;
        }
        if (fromInput && dim.axis() == axis) {
            c.strided(new Dim(reshape.output(0), axis + 1), dim, groups);
            return true;
        }
        if (!fromInput && dim.axis() == axis + 1) {
            c.strided(dim, new Dim(reshape.input(0), axis), groups);
            return true;
        }
        if (!fromInput && dim.axis() == axis) {
            c.block(dim, "the channel shuffle after Reshape '" + reshape.name() + "' keeps its " + groups + " groups");
            return true;
        }
        return false;
    }

    private static Node onlyConsumer(Graph graph, String value, String opType) {
        List<Node> consumers = graph.consumers(value);
        return consumers.size() == 1 && consumers.get(0).opType().equals(opType) && !graph.isGraphOutput(value) ? consumers.get(0) : null;
    }

    /** The permutation swaps axes a and a + 1 and leaves every other axis in place. */
    private static boolean swaps(int[] perm, int a) {
        for (int i = 0; i < perm.length; i++) {
            int expected = i == a ? a + 1 : i == a + 1 ? a : i;
            if (perm[i] != expected) {
                return false;
            }
        }
        return true;
    }
}
