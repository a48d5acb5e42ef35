package dev.spa.testing;

import dev.spa.deps.Analysis;
import dev.spa.deps.Group;
import dev.spa.deps.PruningPlan;
import dev.spa.importance.Criterion;
import dev.spa.importance.GroupScorer;

import java.util.HashMap;
import java.util.Map;

/** What selection tests ask of a plan: every prunable group's scores by a criterion, and how many channels a group kept. */
public final class Selections {
    private Selections() {
    }

    public static Map<Integer, double[]> scores(Analysis a, Criterion criterion) {
        GroupScorer scorer = new GroupScorer(criterion, GroupScorer.Aggregation.SUM, GroupScorer.Normalization.MEAN);
        Map<Integer, double[]> s = new HashMap<>();
        for (Group g : a.prunableGroups()) {
            s.put(g.id(), scorer.score(g, a));
        }
        return s;
    }

    /** Channels kept of the group whose label (the weight that produces it) is {@code weight}. */
    public static int kept(PruningPlan p, Analysis a, String weight) {
        for (Group g : a.prunableGroups()) {
            if (g.label().equals(weight)) {
                int[] k = p.keptChannels().get(g.id());
                return k == null ? g.channels() : k.length;
            }
        }
        throw new AssertionError("no group " + weight);
    }
}
