package dev.spa.select;

import dev.spa.cost.Cost;
import dev.spa.cost.PlanCost;
import dev.spa.plan.PruningPlan;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Gives back what a cut took beyond its target. A global ranking removes channels lowest score first until the
 * target is met, so the last channel removed can overshoot it by its whole cost: on a small network a channel of
 * a wide layer is several percent of the MACs (the CIFAR CNN at half its MACs was cut to 47%). A local cut
 * removes the same share of every group, in steps of whole channels (the MNIST CNN's 8 and 16 channels: 44% for a
 * target of 50%). Afterwards the removed channels are offered back, each group's best removed channel (the last
 * one its ranking took): for a global cut the most important first, for a local one first that of the group that
 * lost the largest share, so that the shares stay as even as the channels allow. Each one that still fits under the
 * target is restored.
 */
final class FillBack {
    /** Pricings at most: a large model's cut leaves little slack and few channels fit back; this bounds the rest. */
    private static final int MAX_PRICINGS = 2000;
    /**
     * Slack (a share of the original's cost) below which nothing is offered back: each group is priced at least once, and
     * a large model leaves next to nothing to give back (DenseNet-121 at half its MACs: 120 groups at 12 ms a pricing).
     */
    private static final double MIN_SLACK = 0.002;

    private final PlanCost prices;
    private final Map<Integer, double[]> scores;
    private final Map<Integer, double[]> descending = new LinkedHashMap<>();
    private final SelectionOptions options;
    private final IntUnaryOperator stepOf;

    FillBack(PlanCost prices, Map<Integer, double[]> scores, SelectionOptions options, IntUnaryOperator stepOf) {
        this.prices = prices;
        this.scores = scores;
        this.options = options;
        this.stepOf = stepOf;
    }

    /** @param keptShare the cut's share of the original's cost, in the target's terms (the selection priced it already) */
    PruningPlan fill(PruningPlan cut, double keptShare) {
        Target target = options.target();
        if (target.value() - keptShare < MIN_SLACK) {
            return cut;
        }
        Cost original = prices.original();
        Map<Integer, Integer> kept = new LinkedHashMap<>();
        for (Map.Entry<Integer, int[]> e : cut.keptChannels().entrySet()) {
            kept.put(e.getKey(), e.getValue().length);
        }
        // restoring one group's channel only adds cost to the others', so a group whose channel did not fit never will
        Set<Integer> refused = new HashSet<>();
        PruningPlan plan = cut;
        for (int pricings = 0; pricings < MAX_PRICINGS; pricings++) {
            Integer group = mostImportantRemoved(kept, refused);
            if (group == null) {
                break;
            }
            Map<Integer, Integer> tried = new LinkedHashMap<>(kept);
            tried.put(group, restored(group, kept.get(group)));
            PruningPlan candidate = planOf(tried);
            if (target.keptShare(original, prices.of(candidate)) <= target.value()) {
                kept = tried;
                plan = candidate;
            } else {
                refused.add(group);
            }
        }
        return plan;
    }

    /**
     * Of the groups not refused, the one whose best removed channel scores highest (global) or that lost the largest share of
     * its channels (local); null when there is none.
     */
    private Integer mostImportantRemoved(Map<Integer, Integer> kept, Set<Integer> refused) {
        Integer best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Map.Entry<Integer, Integer> e : kept.entrySet()) {
            double[] sorted = descending(e.getKey());
            if (refused.contains(e.getKey()) || e.getValue() >= sorted.length) {
                continue;
            }
            double priority = options.global() ? sorted[e.getValue()] : 1 - (double) e.getValue() / sorted.length;
            if (priority > bestScore) {
                bestScore = priority;
                best = e.getKey();
            }
        }
        return best;
    }

    private double[] descending(int group) {
        return descending.computeIfAbsent(group, id -> {
            double[] s = scores.get(id).clone();
            Arrays.sort(s);
            for (int i = 0, j = s.length - 1; i < j; i++, j--) {
                double t = s[i];
                s[i] = s[j];
                s[j] = t;
            }
            return s;
        });
    }

    /** One more channel kept in {@code group}, rounded as the selection rounds. */
    private int restored(int group, int kept) {
        int channels = scores.get(group).length;
        return ChannelSelector.keptCount(channels, channels - kept - 1, options, stepOf.applyAsInt(group));
    }

    private PruningPlan planOf(Map<Integer, Integer> kept) {
        Map<Integer, int[]> channels = new LinkedHashMap<>();
        kept.forEach((id, count) -> channels.put(id, ChannelSelector.keepBest(scores.get(id), count)));
        return new PruningPlan(channels);
    }
}
