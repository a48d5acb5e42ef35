package dev.spa.pruning;

import dev.spa.cost.Cost;
import dev.spa.cost.PlanCost;
import dev.spa.events.manifest.PlanRecord;
import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.importance.GroupScorer;
import dev.spa.ir.Model;
import dev.spa.manifest.ManifestWriter;
import dev.spa.plan.PruningPlan;
import dev.spa.select.ChannelSelector;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;
import dev.spa.surgery.Surgery;
import dev.spa.surgery.WeightUpdate;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;

/** The engine's steps 3 and 4 in one call: score the prunable groups, select channels, cut. */
public final class Pruner {
    private final Consumer<String> progress;

    public Pruner(Consumer<String> progress) {
        this.progress = progress;
    }

    public record Result(Model pruned, PruningPlan plan, PlanRecord record, Cost before, Cost after, long scoreMillis,
                         long selectMillis, long surgeryMillis) {
    }

    public Result prune(String modelName, Analysis analysis, GroupScorer scorer, SelectionOptions options) {
        return prune(modelName, analysis, scorer, options, WeightUpdate.NONE);
    }

    /** Scores and selection without the cut: what the scorer service hands to the exporter. */
    public record Planned(PruningPlan plan, PlanRecord record, Cost before, Cost after, double meanScoreRemoved,
                          double meanScoreKept, long scoreMillis, long selectMillis) {
    }

    public Result prune(String modelName, Analysis analysis, GroupScorer scorer, SelectionOptions options, WeightUpdate update) {
        return cut(analysis, plan(modelName, analysis, scorer, options), update);
    }

    public Planned plan(String modelName, Analysis analysis, GroupScorer scorer, SelectionOptions options) {
        return select(modelName, analysis, score(analysis, scorer), options);
    }

    /** Step 3: every prunable group's channel scores, computed once whatever the selection. */
    public Scores score(Analysis analysis, GroupScorer scorer) {
        long t0 = System.nanoTime();
        progress.accept("scoring " + analysis.prunableGroups().size() + " prunable groups by " + scorer.criterion().name());
        Map<Integer, double[]> scores = new LinkedHashMap<>();
        for (Group g : analysis.prunableGroups()) {
            scores.put(g.id(), scorer.score(g, analysis));
        }
        return new Scores(scores, scorer.criterion().name(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Channel scores by group id, the criterion that gave them and how long it took. */
    public record Scores(Map<Integer, double[]> byGroup, String criterion, long millis) {
    }

    /** Step 4's choice: the channels kept for a target, priced, with the plan as written beside the model. */
    public Planned select(String modelName, Analysis analysis, Scores scores, SelectionOptions options) {
        long t1 = System.nanoTime();
        announce(options);
        PruningPlan plan = new ChannelSelector(analysis).select(scores.byGroup(), options);
        return planned(modelName, analysis, scores, options, plan, (System.nanoTime() - t1) / 1_000_000);
    }

    /**
     * The same, each group's kept count also rounded up to its step ({@code LatencyModel::step}: its kernels' measured
     * multiple). Rounding never costs the target: where the rounded counts cannot reach it (a small model whose groups are
     * no wider than a step or two) and the counts as selected can, those are taken, and the progress says so.
     */
    public Planned select(String modelName, Analysis analysis, Scores scores, SelectionOptions options, IntUnaryOperator steps) {
        long t1 = System.nanoTime();
        announce(options);
        ChannelSelector rounded = new ChannelSelector(analysis, steps);
        PruningPlan plan = rounded.select(scores.byGroup(), options);
        PlanCost prices = new PlanCost(analysis);
        Cost original = prices.original();
        if (!meets(options.target(), original, prices.of(plan))) {
            PruningPlan asSelected = new ChannelSelector(analysis).select(scores.byGroup(), options);
            if (meets(options.target(), original, prices.of(asSelected))) {
                progress.accept("counts rounded up to the kernels' steps cannot reach " + options.target() + ": kept as selected instead");
                plan = asSelected;
            }
        }
        return planned(modelName, analysis, scores, options, plan, (System.nanoTime() - t1) / 1_000_000);
    }

    private void announce(SelectionOptions options) {
        progress.accept("selecting channels for " + options.target() + (options.global() ? " (global)" : " (local)"));
    }

    /** Whether a plan's cost keeps at most the target's share of MACs or parameters (a ratio is met by construction). */
    private static boolean meets(Target target, Cost original, Cost after) {
        return target.kind() == Target.Kind.RATIO || target.keptShare(original, after) <= target.value() + 1e-9;
    }

    /** A plan chosen elsewhere (against a latency model), priced and written as {@link #select} writes its own. */
    public Planned planned(String modelName, Analysis analysis, Scores scores, SelectionOptions options, PruningPlan plan, long selectMillis) {
        PlanCost prices = new PlanCost(analysis);
        PlanRecord record = withFloors(ManifestWriter.plan(modelName, scores.criterion(), options.target().toString(), analysis, plan),
                options);
        double[] removedKept = meanScores(scores.byGroup(), plan);
        return new Planned(plan, record, prices.original(), prices.of(plan), removedKept[0], removedKept[1],
                scores.millis(), selectMillis);
    }

    /** The surgery of a selected plan, with the weight update. */
    public Result cut(Analysis analysis, Planned p, WeightUpdate update) {
        long t0 = System.nanoTime();
        progress.accept(update == WeightUpdate.NONE ? "cutting the model" : "updating kept weights (" + update.name() + ") and cutting the model");
        Model pruned = Surgery.apply(analysis, p.plan(), update);
        PlanRecord record = p.record().toBuilder().setWeightUpdate(update.name()).build();
        return new Result(pruned, p.plan(), record, p.before(), p.after(), p.scoreMillis(), p.selectMillis(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** The plan states the floor it was selected under, and each pruned group's fewest channels. */
    private static PlanRecord withFloors(PlanRecord record, SelectionOptions options) {
        PlanRecord.Builder b = record.toBuilder().setFloor(options.floor());
        for (int i = 0; i < b.getGroupsCount(); i++) {
            b.setGroups(i, b.getGroups(i).toBuilder().setFloor(options.fewestKept(b.getGroups(i).getChannels())));
        }
        return b.build();
    }

    /** The mean score of the channels removed and of those kept, across groups (how clear-cut the selection was). */
    private static double[] meanScores(Map<Integer, double[]> scores, PruningPlan plan) {
        double[] sum = new double[2];
        long[] count = new long[2];
        scores.forEach((id, s) -> {
            int[] kept = plan.keptChannels().get(id);
            boolean[] keep = new boolean[s.length];
            if (kept == null) {
                Arrays.fill(keep, true);
            } else {
                for (int k : kept) {
                    keep[k] = true;
                }
            }
            for (int c = 0; c < s.length; c++) {
                int i = keep[c] ? 1 : 0;
                sum[i] += s[c];
                count[i]++;
            }
        });
        return new double[] {count[0] == 0 ? 0 : sum[0] / count[0], count[1] == 0 ? 0 : sum[1] / count[1]};
    }
}
