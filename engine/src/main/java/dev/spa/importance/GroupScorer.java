package dev.spa.importance;

import dev.spa.SpaException;
import dev.spa.groups.Analysis;
import dev.spa.groups.Group;

import java.util.Arrays;
import java.util.List;

/** Aggregates a criterion's member scores into one score per channel of a group, then normalises. */
public final class GroupScorer {
    public enum Aggregation { SUM, MEAN, MAX }

    public enum Normalization { MEAN, MAX, SUM, NONE }

    private final Criterion criterion;
    private final Aggregation aggregation;
    private final Normalization normalization;

    public GroupScorer(Criterion criterion, Aggregation aggregation, Normalization normalization) {
        this.criterion = criterion;
        this.aggregation = aggregation;
        this.normalization = normalization;
    }

    public Criterion criterion() {
        return criterion;
    }

    public double[] score(Group group, Analysis analysis) {
        List<double[]> members = criterion.memberScores(group, analysis);
        double[] out = new double[group.channels()];
        if (members.isEmpty()) {
            throw new SpaException("criterion " + criterion.name() + " found nothing to score in group " + group.id() + " (" + group.label() + ")");
        }
        for (double[] m : members) {
            for (int c = 0; c < out.length; c++) {
                out[c] = aggregation == Aggregation.MAX ? Math.max(out[c], m[c]) : out[c] + m[c];
            }
        }
        if (aggregation == Aggregation.MEAN) {
            for (int c = 0; c < out.length; c++) {
                out[c] /= members.size();
            }
        }
        return normalise(out);
    }

    private double[] normalise(double[] s) {
        double d;
        switch (normalization) {
            case MEAN: d = Arrays.stream(s).average().orElse(1); break;
            case MAX: d = Arrays.stream(s).max().orElse(1); break;
            case SUM: d = Arrays.stream(s).sum(); break;
            default: d = 1;
        }
        if (d > 0 && Double.isFinite(d)) {
            for (int c = 0; c < s.length; c++) {
                s[c] /= d;
            }
        }
        return s;
    }
}
