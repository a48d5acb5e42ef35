package dev.spa.importance;

import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.groups.Member;
import dev.spa.ir.Graph;
import dev.spa.ir.Node;

import java.util.ArrayList;
import java.util.List;

/**
 * |gamma| of the BatchNormalization that scales each channel (network slimming). A group with no
 * BatchNorm (exporters often fold it into the Conv) is scored by L2 instead, and counted so the
 * caller can say how many groups that was.
 */
public final class BatchNormScaleCriterion implements Criterion {
    private int fallbacks;

    @Override
    public String name() {
        return "bn";
    }

    public int groupsWithoutBatchNorm() {
        return fallbacks;
    }

    @Override
    public List<double[]> memberScores(Group group, Analysis analysis) {
        Graph graph = analysis.model().graph();
        List<double[]> out = new ArrayList<>();
        for (Member m : group.members()) {
            if (m.constant() && isBatchNormScale(graph, m.dim().value())) {
                double[] perPosition = SliceStatistics.perPosition(graph.constant(m.dim().value()), 0, (i, v) -> Math.abs(v));
                out.add(SliceStatistics.perChannel(m, perPosition));
            }
        }
        if (out.isEmpty()) {
            fallbacks++;
            return MagnitudeCriterion.l2().memberScores(group, analysis);
        }
        return out;
    }

    private static boolean isBatchNormScale(Graph graph, String value) {
        for (Node n : graph.consumers(value)) {
            if (n.opType().equals("BatchNormalization") && n.input(1).equals(value)) {
                return true;
            }
        }
        return false;
    }
}
