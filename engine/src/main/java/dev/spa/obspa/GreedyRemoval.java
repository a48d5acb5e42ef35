package dev.spa.obspa;

import dev.spa.Interruption;
import dev.spa.groups.Group;
import dev.spa.groups.Member;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores a group's channels by removing them one after another, cheapest first: after each removal
 * every layer reading the group re-fits its weights and downdates its H⁻¹, so the next losses
 * account for what is already gone (a channel that looked free because others could stand in for
 * it stops looking free once they are removed too). A channel's score is the largest marginal loss
 * met up to its removal, so scores rise along the order and a threshold cuts a prefix of it. To
 * keep large layers fast, each step removes a small batch (1/32 of what remains).
 */
final class GreedyRemoval {
    private static final int STEPS_PER_HALVING = 32;

    private GreedyRemoval() {
    }

    /** One consumer layer's shrinking working copy and the columns each of the group's channels feeds. */
    private record LayerState(ShrinkingLayer working, int[][] columns) {
    }

    static double[] scores(Obspa obspa, Group group) {
        List<LayerState> states = new ArrayList<>();
        for (Member m : group.members()) {
            LinearLayer layer = obspa.layerOf(m);
            if (layer == null) {
                continue;
            }
            float[] w = layer.matrix(obspa.graph());
            int[][] columns = new int[group.channels()][];
            for (int c = 0; c < columns.length; c++) {
                columns[c] = layer.columns(m.positions()[c]);
            }
            int[] groupColumns = Arrays.stream(columns).flatMapToInt(Arrays::stream).sorted().distinct().toArray();
            states.add(new LayerState(new ShrinkingLayer(layer, w, obspa.workingInverse(layer, groupColumns), obspa.lossScale(layer)), columns));
        }
        int channels = group.channels();
        boolean[] removed = new boolean[channels];
        double[] score = new double[channels];
        double envelope = 0;
        int remaining = channels;
        while (remaining > 0) {
            Interruption.check();
            int[] alive = new int[remaining];
            for (int c = 0, k = 0; c < channels; c++) {
                if (!removed[c]) {
                    alive[k++] = c;
                }
            }
            double[] marginal = marginalLosses(obspa, states, alive);
            Integer[] order = new Integer[alive.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(marginal[a], marginal[b]));
            int step = Math.max(1, remaining / STEPS_PER_HALVING);
            List<Integer> batch = new ArrayList<>();
            for (int i = 0; i < step; i++) {
                int c = alive[order[i]];
                envelope = Math.max(envelope, marginal[order[i]]);
                score[c] = envelope;
                removed[c] = true;
                batch.add(c);
            }
            remaining -= step;
            if (remaining > 0) {
                for (LayerState s : states) {
                    int[] q = batch.stream().flatMapToInt(c -> Arrays.stream(s.columns()[c])).toArray();
                    s.working().remove(obspa.solver(), q);
                }
            }
        }
        return score;
    }

    private static double[] marginalLosses(Obspa obspa, List<LayerState> states, int[] alive) {
        double[] total = new double[alive.length];
        for (LayerState s : states) {
            int[][] sets = new int[alive.length][];
            for (int i = 0; i < alive.length; i++) {
                sets[i] = s.columns()[alive[i]];
            }
            double[] losses = s.working().scaledLosses(sets);
            for (int i = 0; i < alive.length; i++) {
                total[i] += losses[i];
            }
        }
        return total;
    }
}
