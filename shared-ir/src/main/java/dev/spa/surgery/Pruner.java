package dev.spa.surgery;

import dev.spa.cost.Cost;
import dev.spa.deps.Analysis;
import dev.spa.deps.Group;
import dev.spa.deps.ManifestWriter;
import dev.spa.deps.PruningPlan;
import dev.spa.importance.GroupScorer;
import dev.spa.ir.Model;
import dev.spa.manifest.PlanRecord;
import dev.spa.select.ChannelSelector;
import dev.spa.select.SelectionOptions;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

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

    public Result prune(String modelName, Analysis analysis, GroupScorer scorer, SelectionOptions options, WeightUpdate update) {
        long t0 = System.nanoTime();
        progress.accept("scoring " + analysis.prunableGroups().size() + " prunable groups by " + scorer.criterion().name());
        Map<Integer, double[]> scores = new LinkedHashMap<>();
        for (Group g : analysis.prunableGroups()) {
            scores.put(g.id(), scorer.score(g, analysis));
        }
        long t1 = System.nanoTime();
        progress.accept("selecting channels for " + options.target() + (options.global() ? " (global)" : " (local)"));
        ChannelSelector selector = new ChannelSelector(analysis);
        PruningPlan plan = selector.select(scores, options);
        long t2 = System.nanoTime();
        progress.accept(update == WeightUpdate.NONE ? "cutting the model" : "updating kept weights (" + update.name() + ") and cutting the model");
        Model pruned = Surgery.apply(analysis, plan, update);
        long t3 = System.nanoTime();
        PlanRecord record = ManifestWriter.plan(modelName, scorer.criterion().name(), options.target().toString(), analysis, plan);
        return new Result(pruned, plan, record, selector.cost(PruningPlan.empty()), selector.cost(plan),
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
    }
}
