package dev.spa.select;

import dev.spa.SpaException;
import dev.spa.cost.Cost;
import dev.spa.cost.PlanCost;
import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.groups.Member;
import dev.spa.groups.PrunedShapes;
import dev.spa.ir.Node;
import dev.spa.plan.PruningPlan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.IntUnaryOperator;

/**
 * Turns channel scores into a plan. A ratio removes that share of channels (of each group when
 * local, of all channels by one ranking when global); a parameter or MACs target is met by a
 * binary search on that share, pricing each candidate plan exactly with the cost model.
 */
public final class ChannelSelector {
    private final Analysis analysis;
    private final PlanCost prices;
    private final IntUnaryOperator stepOf;

    public ChannelSelector(Analysis analysis) {
        this(analysis, group -> 1);
    }

    /**
     * @param stepOf the multiple each group's kept count is rounded up to (by group id), besides the options' round-to:
     *               the steps a latency model measured for the kernels that produce it ({@code LatencyModel::step})
     */
    public ChannelSelector(Analysis analysis, IntUnaryOperator stepOf) {
        this.analysis = analysis;
        this.prices = new PlanCost(analysis);
        this.stepOf = stepOf;
    }

    /** @param scores channel scores by group id, for the groups that may be pruned */
    public PruningPlan select(Map<Integer, double[]> scores, SelectionOptions options) {
        List<Group> candidates = candidates(scores, options);
        DoubleFunction<PruningPlan> planForShare = options.global()
                ? share -> global(candidates, scores, share, options)
                : share -> local(candidates, scores, share, options);
        Target target = options.target();
        if (target.kind() == Target.Kind.LATENCY) {
            throw new SpaException("a latency target is selected against a latency model measured on its runtime (LatencySelector)");
        }
        if (target.kind() == Target.Kind.RATIO) {
            return planForShare.apply(target.value());
        }
        Cost original = prices.original();
        double lo = 0;
        double hi = 1;
        PruningPlan best = planForShare.apply(1);
        double bestShare = target.keptShare(original, prices.of(best));
        if (bestShare > target.value()) {
            return best; // the target cannot be reached; the most that may be removed
        }
        for (int i = 0; i < 30; i++) {
            double mid = (lo + hi) / 2;
            PruningPlan plan = planForShare.apply(mid);
            double share = target.keptShare(original, prices.of(plan));
            if (share <= target.value()) {
                hi = mid;
                best = plan;
                bestShare = share;
            } else {
                lo = mid;
            }
        }
        return new FillBack(prices, scores, options, stepOf).fill(best, bestShare);
    }

    /** The groups open to selection: prunable, scored, not excluded (the latency selector starts from them too). */
    public List<Group> candidates(Map<Integer, double[]> scores, SelectionOptions options) {
        List<Group> out = new ArrayList<>();
        for (Group g : analysis.groups()) {
            if (g.prunable() && scores.containsKey(g.id()) && !excluded(g, options) && g.channels() > options.fewestKept(g.channels())) {
                out.add(g);
            }
        }
        return out;
    }

    private boolean excluded(Group g, SelectionOptions options) {
        if (options.exclude().isEmpty()) {
            return false;
        }
        for (Member m : g.members()) {
            String value = m.dim().value();
            if (options.exclude().contains(value)) {
                return true;
            }
            Node producer = analysis.model().graph().producer(value);
            if (producer != null && options.exclude().contains(producer.name())) {
                return true;
            }
            for (Node consumer : analysis.model().graph().consumers(value)) {
                if (m.constant() && options.exclude().contains(consumer.name())) {
                    return true;
                }
            }
        }
        return false;
    }

    private PruningPlan local(List<Group> groups, Map<Integer, double[]> scores, double share, SelectionOptions o) {
        Map<Integer, int[]> kept = new LinkedHashMap<>();
        for (Group g : groups) {
            int remove = (int) Math.floor(g.channels() * Math.min(share, 1.0) + 1e-9);
            kept.put(g.id(), keepBest(scores.get(g.id()), keptCount(g.channels(), remove, o, stepOf.applyAsInt(g.id()))));
        }
        return new PruningPlan(kept);
    }

    private PruningPlan global(List<Group> groups, Map<Integer, double[]> scores, double share, SelectionOptions o) {
        List<int[]> channels = new ArrayList<>(); // {group index, channel}
        int total = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            Group g = groups.get(gi);
            total += g.channels();
            for (int c = 0; c < g.channels(); c++) {
                channels.add(new int[] {gi, c});
            }
        }
        channels.sort(Comparator.comparingDouble(gc -> scores.get(groups.get(gc[0]).id())[gc[1]]));
        int toRemove = (int) Math.floor(total * Math.min(share, 1.0) + 1e-9);
        int[] removed = new int[groups.size()];
        for (int[] gc : channels) {
            if (toRemove == 0) {
                break;
            }
            if (removed[gc[0]] < groups.get(gc[0]).channels() - o.fewestKept(groups.get(gc[0]).channels())) {
                removed[gc[0]]++;
                toRemove--;
            }
        }
        Map<Integer, int[]> kept = new LinkedHashMap<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            Group g = groups.get(gi);
            kept.put(g.id(), keepBest(scores.get(g.id()), keptCount(g.channels(), removed[gi], o, stepOf.applyAsInt(g.id()))));
        }
        return new PruningPlan(kept);
    }

    /** Channels kept when {@code remove} are asked to go: at least the minimum and the floor, rounded up to the multiple. */
    public static int keptCount(int channels, int remove, SelectionOptions o, int step) {
        int kept = Math.max(channels - remove, o.fewestKept(channels));
        int multiple = Math.max(o.roundTo(), step);
        if (multiple > 1) {
            kept = Math.min(channels, ((kept + multiple - 1) / multiple) * multiple);
        }
        return kept;
    }

    /** The positions of the {@code count} highest scores, in ascending order. */
    public static int[] keepBest(double[] scores, int count) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i));
        int[] kept = new int[count];
        for (int i = 0; i < count; i++) {
            kept[i] = order[i];
        }
        Arrays.sort(kept);
        return kept;
    }
}
