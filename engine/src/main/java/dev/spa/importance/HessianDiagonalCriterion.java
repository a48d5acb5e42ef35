package dev.spa.importance;

import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.groups.Member;
import dev.spa.ir.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Optimal Brain Damage: the saliency of a channel is ½ Σ h_ii w_i² over its weight slices. */
public final class HessianDiagonalCriterion implements Criterion {
    private final HessianDiagonal hessian;

    public HessianDiagonalCriterion(HessianDiagonal hessian) {
        this.hessian = hessian;
    }

    @Override
    public String name() {
        return "obd";
    }

    @Override
    public List<double[]> memberScores(Group group, Analysis analysis) {
        List<double[]> out = new ArrayList<>();
        for (Member m : MagnitudeCriterion.weightMembers(group, analysis)) {
            float[] h = hessian.forWeight(m.dim().value());
            if (h == null) {
                continue;
            }
            Tensor t = analysis.model().graph().constant(m.dim().value());
            double[] perPosition = SliceStatistics.perPosition(t, m.dim().axis(), (i, v) -> 0.5 * h[i] * v * v);
            out.add(SliceStatistics.perChannel(m, perPosition));
        }
        return out;
    }
}
