package dev.spa.select;

import dev.spa.cost.PlanCost;
import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.importance.BatchNormScaleCriterion;
import dev.spa.importance.GroupScorer;
import dev.spa.importance.HessianDiagonalCriterion;
import dev.spa.importance.MagnitudeCriterion;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.plan.PruningPlan;
import dev.spa.testing.Selections;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Selection options and criteria on a three-layer CNN whose groups have 16 and 32 channels. */
class SelectionTest {
    private static Analysis cnn() {
        return Analysis.of(new GraphBuilder().input("x", -1, 3, 16, 16).output("y")
                .weight("W1", 16, 3, 3, 3).op("Conv", "a", "x", "W1")
                .weight("g", 16).weight("b", 16).weight("m", 16).positive("v", 16)
                .op("BatchNormalization", "n", "a", "g", "b", "m", "v").op("Relu", "r", "n")
                .weight("W2", 32, 16, 3, 3).op("Conv", "c", "r", "W2").op("Relu", "r2", "c")
                .weight("W3", 4, 32, 1, 1).op("Conv", "y", "r2", "W3").model());
    }

    private static Map<Integer, double[]> scores(Analysis a) {
        return Selections.scores(a, MagnitudeCriterion.l1());
    }

    private static int kept(PruningPlan p, Analysis a, String weight) {
        return Selections.kept(p, a, weight);
    }

    @Test
    void localRatioRemovesTheSameShareOfEveryGroup() {
        Analysis a = cnn();
        PruningPlan p = new ChannelSelector(a).select(scores(a), SelectionOptions.local(0.25));
        assertEquals(12, kept(p, a, "W1"));
        assertEquals(24, kept(p, a, "W2"));
    }

    @Test
    void roundToAndMinimumChannels() {
        Analysis a = cnn();
        PruningPlan rounded = new ChannelSelector(a).select(scores(a), new SelectionOptions(Target.ratio(0.3), false, 1, 8, Set.of()));
        assertEquals(16, kept(rounded, a, "W1"), "16 - 4 = 12 rounds up to 16");
        assertEquals(24, kept(rounded, a, "W2"), "32 - 9 = 23 rounds up to 24");
        PruningPlan floor = new ChannelSelector(a).select(scores(a), new SelectionOptions(Target.ratio(0.9), false, 6, 1, Set.of()));
        assertEquals(6, kept(floor, a, "W1"));
    }

    @Test
    void excludedLayersAreLeftAlone() {
        Analysis a = cnn();
        PruningPlan p = new ChannelSelector(a).select(scores(a), new SelectionOptions(Target.ratio(0.5), false, 1, 1, Set.of("W2")));
        assertEquals(16, kept(p, a, "W1"), "W2 reads W1's channels, so excluding W2 leaves that group too");
        assertEquals(32, kept(p, a, "W2"));
    }

    @Test
    void macsAndParameterTargetsAreMetLocallyAndGlobally() {
        Analysis a = cnn();
        ChannelSelector selector = new ChannelSelector(a);
        PlanCost prices = new PlanCost(a);
        var original = prices.original();
        for (boolean global : new boolean[] {false, true}) {
            PruningPlan macs = selector.select(scores(a), new SelectionOptions(Target.parse("macs=0.5"), global, 1, 1, Set.of()));
            double r = prices.of(macs).macsRatio(original);
            assertTrue(r <= 0.5 && r > 0.35, "MACs ratio " + r + " global=" + global);
            PruningPlan params = selector.select(scores(a), new SelectionOptions(Target.parse("params=0.6"), global, 1, 1, Set.of()));
            double q = prices.of(params).paramsRatio(original);
            assertTrue(q <= 0.6 && q > 0.45, "params ratio " + q + " global=" + global);
        }
    }

    /**
     * A cut leaves no channel out that would still fit under its target: a global ranking's last removal may overshoot
     * by a whole channel of the costlier group (each of W1's channels is twice the MACs of one of W2's), a local share
     * by a channel of each group, and what the overshoot left is given back.
     */
    @Test
    void aCutGivesBackEveryChannelThatStillFitsUnderItsTarget() {
        Analysis a = cnn();
        Map<Integer, double[]> scores = scores(a);
        ChannelSelector selector = new ChannelSelector(a);
        PlanCost prices = new PlanCost(a);
        var original = prices.original();
        for (int step = 0; step < 30; step++) {
            boolean global = step % 2 == 0;
            double target = 0.2 + 0.05 * (step / 2);
            PruningPlan plan = selector.select(scores, new SelectionOptions(Target.parse("macs=" + target), global, 1, 1, Set.of()));
            assertTrue(prices.of(plan).macsRatio(original) <= target + 1e-12, "macs=" + target + " global=" + global);
            for (Map.Entry<Integer, int[]> e : plan.keptChannels().entrySet()) {
                double[] s = scores.get(e.getKey());
                if (e.getValue().length == s.length) {
                    continue;
                }
                Map<Integer, int[]> more = new LinkedHashMap<>(plan.keptChannels());
                more.put(e.getKey(), ChannelSelector.keepBest(s, e.getValue().length + 1));
                double r = prices.of(new PruningPlan(more)).macsRatio(original);
                assertTrue(r > target, String.format("macs=%.2f global=%s: group %d could keep one more channel and cost %.4f", target, global,
                        e.getKey(), r));
            }
        }
    }

    @Test
    void l1ScoresFollowTheWeightsAndNormaliseToMeanOne() {
        Analysis a = cnn();
        Group g = a.prunableGroups().stream().filter(x -> x.label().equals("W1")).findFirst().orElseThrow();
        double[] s = new GroupScorer(MagnitudeCriterion.l1(), GroupScorer.Aggregation.SUM, GroupScorer.Normalization.MEAN).score(g, a);
        assertEquals(1.0, Arrays.stream(s).average().orElseThrow(), 1e-9);
        double[] raw = new GroupScorer(MagnitudeCriterion.l1(), GroupScorer.Aggregation.SUM, GroupScorer.Normalization.NONE).score(g, a);
        float[] w1 = a.model().graph().constant("W1").floats();
        float[] w2 = a.model().graph().constant("W2").floats();
        double expected = 0;
        for (int i = 0; i < 27; i++) {
            expected += Math.abs(w1[i]); // row 0 of W1
        }
        for (int o = 0; o < 32; o++) {
            for (int k = 0; k < 9; k++) {
                expected += Math.abs(w2[o * 144 + k]); // column 0 of W2
            }
        }
        assertEquals(expected, raw[0], 1e-4);
    }

    @Test
    void batchNormScaleUsesGammaAndHessianDiagonalWeighsSquares() {
        Analysis a = cnn();
        Group g = a.prunableGroups().stream().filter(x -> x.label().equals("W1")).findFirst().orElseThrow();
        BatchNormScaleCriterion bn = new BatchNormScaleCriterion();
        double[] s = new GroupScorer(bn, GroupScorer.Aggregation.SUM, GroupScorer.Normalization.NONE).score(g, a);
        float[] gamma = a.model().graph().constant("g").floats();
        for (int c = 0; c < 16; c++) {
            assertEquals(Math.abs(gamma[c]), s[c], 1e-6);
        }
        assertEquals(0, bn.groupsWithoutBatchNorm());
        // OBD with h = 2 everywhere is the plain sum of squares of the weight slices
        HessianDiagonalCriterion obd = new HessianDiagonalCriterion(w -> {
            float[] h = new float[(int) a.model().graph().constant(w).numel()];
            Arrays.fill(h, 2f);
            return h;
        });
        double[] o = new GroupScorer(obd, GroupScorer.Aggregation.SUM, GroupScorer.Normalization.NONE).score(g, a);
        double[] l2 = new GroupScorer(MagnitudeCriterion.l2(), GroupScorer.Aggregation.SUM, GroupScorer.Normalization.NONE).score(g, a);
        assertFalse(Arrays.equals(o, l2));
        float[] w1 = a.model().graph().constant("W1").floats();
        double row0 = 0;
        for (int i = 0; i < 27; i++) {
            row0 += w1[i] * w1[i];
        }
        assertTrue(o[0] > row0 - 1e-6, "OBD includes row 0 of W1 and column 0 of W2");
    }
}
