package dev.spa.importance;

import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.groups.Member;
import dev.spa.ir.Tensor;
import dev.spa.rules.Role;

import java.util.ArrayList;
import java.util.List;

/** L1 or L2 norm of each channel's weight slices: the rows that produce it and the columns that read it. */
public final class MagnitudeCriterion implements Criterion {
    private final boolean squared;

    private MagnitudeCriterion(boolean squared) {
        this.squared = squared;
    }

    public static MagnitudeCriterion l1() {
        return new MagnitudeCriterion(false);
    }

    public static MagnitudeCriterion l2() {
        return new MagnitudeCriterion(true);
    }

    @Override
    public String name() {
        return squared ? "l2" : "l1";
    }

    @Override
    public List<double[]> memberScores(Group group, Analysis analysis) {
        List<double[]> out = new ArrayList<>();
        for (Member m : weightMembers(group, analysis)) {
            Tensor t = analysis.model().graph().constant(m.dim().value());
            double[] perPosition = SliceStatistics.perPosition(t, m.dim().axis(),
                    (i, v) -> squared ? (double) v * v : Math.abs(v));
            double[] perChannel = SliceStatistics.perChannel(m, perPosition);
            if (squared) {
                for (int c = 0; c < perChannel.length; c++) {
                    perChannel[c] = Math.sqrt(perChannel[c]);
                }
            }
            out.add(perChannel);
        }
        return out;
    }

    /** Float weight slices that produce or read the channels; every float constant when there are none. */
    static List<Member> weightMembers(Group group, Analysis analysis) {
        List<Member> weights = new ArrayList<>();
        List<Member> all = new ArrayList<>();
        for (Member m : group.members()) {
            Tensor t = m.constant() ? analysis.model().graph().constant(m.dim().value()) : null;
            if (t == null || !t.isFloat()) {
                continue;
            }
            all.add(m);
            if (m.role() == Role.OUTPUT || m.role() == Role.INPUT) {
                weights.add(m);
            }
        }
        return weights.isEmpty() ? all : weights;
    }
}
