package dev.spa.latency;

import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.plan.PruningPlan;
import dev.spa.select.ChannelSelector;
import dev.spa.select.SelectionOptions;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Selects channels against a latency model: starting from the whole model, it repeatedly takes away the step of
 * channels (the multiple the group's kernels run at) that loses the least score per millisecond saved, until the
 * predicted latency is at most the share asked of the whole model's. Counts therefore stay on the kernels' steps,
 * channels whose removal saves no time are never taken, and every group keeps its floor and minimum (rounded up to
 * its step), as in {@link ChannelSelector}.
 */
public final class LatencySelector {
    private final Analysis analysis;
    private final LatencyModel latency;

    public LatencySelector(Analysis analysis, LatencyModel latency) {
        this.analysis = analysis;
        this.latency = latency;
    }

    /** A group being cut: its channels from least to most important, its step and the fewest it may keep. */
    private record Candidate(Group group, double[] ascendingScores, int step, int fewest) {
        /** The next count down from {@code kept}, or -1 when the group is at its fewest. */
        int next(int kept) {
            int next = kept % step == 0 ? kept - step : kept / step * step;
            return next >= fewest ? next : -1;
        }

        double scoreLost(int kept, int next) {
            double sum = 0;
            int channels = group.channels();
            for (int i = channels - kept; i < channels - next; i++) {
                sum += Math.max(0, ascendingScores[i]);
            }
            return sum;
        }
    }

    /** The plan whose predicted latency is at most {@code share} of the whole model's (or the closest the floors allow). */
    public PruningPlan select(Map<Integer, double[]> scores, SelectionOptions options, double share) {
        List<Candidate> candidates = new ChannelSelector(analysis).candidates(scores, options).stream().map(g -> candidate(g, scores, options))
                .filter(c -> c.fewest < c.group.channels()).toList();
        int[] kept = latency.fullCounts();
        double predicted = latency.predictMs(kept);
        double goal = share * predicted;
        while (predicted > goal) {
            Candidate best = null;
            double bestCost = Double.POSITIVE_INFINITY;
            double bestSaving = 0;
            for (Candidate c : candidates) {
                int next = c.next(kept[c.group.id()]);
                if (next < 0) {
                    continue;
                }
                double saving = latency.savingMs(kept, c.group.id(), next);
                if (saving <= 0) {
                    continue;
                }
                double cost = c.scoreLost(kept[c.group.id()], next) / saving;
                if (cost < bestCost) {
                    best = c;
                    bestCost = cost;
                    bestSaving = saving;
                }
            }
            if (best == null) {
                break; // every group that saves time is at its fewest: the share cannot be reached
            }
            kept[best.group.id()] = best.next(kept[best.group.id()]);
            predicted -= bestSaving;
        }
        Map<Integer, int[]> plan = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            if (kept[c.group.id()] < c.group.channels()) {
                plan.put(c.group.id(), ChannelSelector.keepBest(scores.get(c.group.id()), kept[c.group.id()]));
            }
        }
        return new PruningPlan(plan);
    }

    private Candidate candidate(Group g, Map<Integer, double[]> scores, SelectionOptions options) {
        double[] ascending = scores.get(g.id()).clone();
        Arrays.sort(ascending);
        int step = Math.max(latency.step(g.id()), options.roundTo());
        int fewest = ChannelSelector.keptCount(g.channels(), g.channels(), options, step); // every channel asked to go: the floor, on the step
        return new Candidate(g, ascending, step, fewest);
    }
}
