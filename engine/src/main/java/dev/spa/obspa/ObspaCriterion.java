package dev.spa.obspa;

import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.groups.Member;
import dev.spa.importance.Criterion;
import dev.spa.importance.MagnitudeCriterion;

import java.util.ArrayList;
import java.util.List;

/**
 * A channel's importance is the OBS loss of removing it, summed over every layer of its group that
 * reads it. A group with no such layer (its readers are not Conv/Gemm/MatMul) is scored by L2 and counted.
 */
public final class ObspaCriterion implements Criterion {
    /** How channels are scored: each alone against the full layer, or in greedy removal order. */
    public enum Order { INDEPENDENT, GREEDY }

    private final Obspa obspa;
    private final Order order;
    private int groupsByL2;

    public ObspaCriterion(Obspa obspa, Order order) {
        this.obspa = obspa;
        this.order = order;
    }

    @Override
    public String name() {
        return "obspa";
    }

    @Override
    public List<double[]> memberScores(Group group, Analysis analysis) {
        boolean readByLayers = group.members().stream().anyMatch(m -> obspa.layerOf(m) != null);
        if (order == Order.GREEDY && readByLayers) {
            return List.of(GreedyRemoval.scores(obspa, group));
        }
        List<double[]> out = new ArrayList<>();
        for (Member m : group.members()) {
            if (obspa.layerOf(m) != null) {
                out.add(obspa.channelLosses(m));
            }
        }
        if (out.isEmpty()) {
            groupsByL2++;
            return MagnitudeCriterion.l2().memberScores(group, analysis);
        }
        return out;
    }

    public int groupsScoredByL2() {
        return groupsByL2;
    }
}
