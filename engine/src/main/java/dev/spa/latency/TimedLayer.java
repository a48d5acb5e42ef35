package dev.spa.latency;

import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.groups.Member;
import dev.spa.ir.DataType;
import dev.spa.ir.Graph;
import dev.spa.ir.Node;
import dev.spa.ir.Tensor;
import dev.spa.rules.Dim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer whose time the latency model tracks: a Conv, Gemm or MatMul with a constant float weight, and
 * the two sizes pruning changes: its output size (weight rows or columns) and its input size (input
 * channels, or the contracted axis). Each size is the original minus what the groups on that axis lose;
 * a grouped or depthwise Conv's input follows its output. Everything else the model runs is "other" time.
 *
 * @param in  the groups whose channels make up the input axis, with how many positions each channel holds there
 */
public record TimedLayer(Node node, Kind kind, long inSize, long outSize, List<Share> in, List<Share> out) {
    /** Kinds whose kernels may favour different channel multiples. */
    public enum Kind { DENSE_CONV, POINTWISE_CONV, DEPTHWISE_CONV, GROUPED_CONV, LINEAR }

    /** One group's part of an axis: removing one of its channels removes {@code perChannel} positions. */
    public record Share(int group, int perChannel) {
    }

    /** Whether the input size moves with the output (grouped and depthwise Conv) rather than on its own. */
    public boolean inputFollowsOutput() {
        return kind == Kind.DEPTHWISE_CONV || kind == Kind.GROUPED_CONV;
    }

    /** The output size when each group keeps {@code kept[id]} channels. */
    public long outSize(int[] kept, int[] channels) {
        return size(outSize, out, kept, channels);
    }

    public long inSize(int[] kept, int[] channels) {
        if (inputFollowsOutput()) {
            return inSize * outSize(kept, channels) / outSize;
        }
        return size(inSize, in, kept, channels);
    }

    private static long size(long full, List<Share> shares, int[] kept, int[] channels) {
        long size = full;
        for (Share s : shares) {
            size -= (long) (channels[s.group] - kept[s.group]) * s.perChannel;
        }
        return size;
    }

    /** Every layer of the model the latency model can time, in graph order. */
    public static List<TimedLayer> of(Analysis analysis) {
        Map<Dim, List<Share>> shares = shares(analysis);
        Graph graph = analysis.model().graph();
        List<TimedLayer> out = new ArrayList<>();
        for (Node n : graph.nodes()) {
            TimedLayer layer = of(n, graph, shares);
            if (layer != null) {
                out.add(layer);
            }
        }
        return out;
    }

    private static TimedLayer of(Node n, Graph graph, Map<Dim, List<Share>> shares) {
        Tensor w = n.inputs().size() > 1 ? graph.constant(n.input(1)) : null;
        if (w == null || w.dataType() != DataType.FLOAT || graph.isConstant(n.input(0))) {
            return null;
        }
        long[] d = w.dims();
        switch (n.opType()) {
            case "Conv": {
                if (d.length != 4) {
                    return null;
                }
                long group = n.attrInt("group", 1);
                Kind kind = group == 1 ? (d[2] * d[3] == 1 ? Kind.POINTWISE_CONV : Kind.DENSE_CONV)
                        : d[1] == 1 ? Kind.DEPTHWISE_CONV : Kind.GROUPED_CONV;
                Dim outDim = new Dim(n.input(1), 0);
                Dim inDim = new Dim(n.input(0), 1);
                return new TimedLayer(n, kind, d[1] * group, d[0], shares.getOrDefault(inDim, List.of()), shares.getOrDefault(outDim, List.of()));
            }
            case "MatMul":
                return d.length != 2 ? null : linear(n, d[0], d[1], new Dim(n.input(1), 0), new Dim(n.input(1), 1), shares);
            case "Gemm": {
                if (d.length != 2 || n.attrInt("transA", 0) != 0) {
                    return null;
                }
                boolean transB = n.attrInt("transB", 0) != 0;
                return transB ? linear(n, d[1], d[0], new Dim(n.input(1), 1), new Dim(n.input(1), 0), shares)
                        : linear(n, d[0], d[1], new Dim(n.input(1), 0), new Dim(n.input(1), 1), shares);
            }
            default:
                return null;
        }
    }

    private static TimedLayer linear(Node n, long in, long out, Dim inDim, Dim outDim, Map<Dim, List<Share>> shares) {
        return new TimedLayer(n, Kind.LINEAR, in, out, shares.getOrDefault(inDim, List.of()), shares.getOrDefault(outDim, List.of()));
    }

    /** For every axis a prunable group touches: the groups on it. */
    private static Map<Dim, List<Share>> shares(Analysis analysis) {
        Map<Dim, List<Share>> out = new HashMap<>();
        for (Group g : analysis.prunableGroups()) {
            for (Member m : g.members()) {
                if (!m.dim().folded()) {
                    out.computeIfAbsent(m.dim(), k -> new ArrayList<>()).add(new Share(g.id(), m.positionsPerChannel()));
                }
            }
        }
        return out;
    }
}
