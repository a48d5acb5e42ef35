package dev.spa.testing;

import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.importance.Criterion;
import dev.spa.importance.GroupScorer;
import dev.spa.plan.PruningPlan;

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
        Group g = group(a, weight);
        int[] k = p.keptChannels().get(g.id());
        return k == null ? g.channels() : k.length;
    }

    /** The id of the group whose label (the weight that produces it) is {@code weight}. */
    public static int groupOf(Analysis a, String weight) {
        return group(a, weight).id();
    }

    private static Group group(Analysis a, String weight) {
        return a.prunableGroups().stream().filter(g -> g.label().equals(weight)).findFirst()
                .orElseThrow(() -> new AssertionError("no group " + weight));
    }
}
