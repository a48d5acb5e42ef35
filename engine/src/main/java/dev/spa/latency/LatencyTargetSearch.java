package dev.spa.latency;

import dev.spa.Interruption;
import dev.spa.SpaException;
import dev.spa.groups.Analysis;
import dev.spa.plan.PruningPlan;
import dev.spa.pruning.Pruner;
import dev.spa.runtime.LatencyComparison;
import dev.spa.runtime.LatencyRuntime;
import dev.spa.runtime.OnnxRunner;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;
import dev.spa.surgery.WeightUpdate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Meets a latency target by measurement: selects against the latency model for a predicted share, cuts, times
 * the cut model against the original on the target's runtime (interleaved, {@link LatencyComparison}), and
 * corrects the predicted share by how far the measurement missed (the model predicts layers alone; the whole
 * graph fuses and lays out differently). It stops at the first cut measured within {@link #CLOSE_ENOUGH} below
 * the target, and otherwise keeps the least cut measured at or below it. A target no cut reaches is reported with
 * the fastest cut measured and its measurement.
 */
public final class LatencyTargetSearch {
    /** A cut this far below the target is close enough: cutting less would be within noise of missing it. */
    static final double CLOSE_ENOUGH = 0.06;
    private static final int MEASUREMENTS = 5;
    private static final int WARMUP = 3;
    private static final int ROUNDS = 15;

    private final Pruner pruner = new Pruner(s -> { });
    private final Consumer<String> progress;

    public LatencyTargetSearch(Consumer<String> progress) {
        this.progress = progress;
    }

    /** One measured cut: the predicted share it was selected for, what the latency model predicted, what was measured. */
    public record Step(double asked, double predicted, LatencyComparison measured) {
    }

    /** The cut chosen, its measurement against the original, every step, and whether the target (a share of the original's latency) was met. */
    public record Outcome(double target, Pruner.Planned planned, Pruner.Result result, LatencyComparison latency, List<Step> steps, boolean met) {
        public String describe() {
            return String.format(Locale.ROOT, "latency target %.2f %s in %d measured cut%s: %s", target, met ? "met" : "NOT met",
                    steps.size(), steps.size() == 1 ? "" : "s", latency.describe());
        }
    }

    /** @param options selection options whose target is the latency target ({@code latency=F}) */
    public Outcome search(String modelName, Analysis analysis, Pruner.Scores scores, SelectionOptions options, WeightUpdate update,
                          LatencyModel model, LatencyRuntime runtime) {
        if (options.target().kind() != Target.Kind.LATENCY) {
            throw new SpaException("a latency search needs a latency target, not " + options.target());
        }
        double target = options.target().value();
        LatencySelector selector = new LatencySelector(analysis, model);
        int[] full = model.fullCounts();
        double fullMs = model.predictMs(full);
        List<Step> steps = new ArrayList<>();
        Candidate best = null;
        Candidate fastest = null;
        double feasibleAsk = 0;       // the largest share asked whose cut measured at or below the target
        double infeasibleAsk = 1.0001; // the smallest share asked whose cut measured above it
        double ask = target;
        PruningPlan previous = null;
        try (OnnxRunner original = runtime.open(analysis.model())) {
            for (int i = 0; i < MEASUREMENTS; i++) {
                Interruption.check();
                long t0 = System.nanoTime();
                PruningPlan plan = selector.select(scores.byGroup(), options, ask);
                if (previous != null && plan.sameCut(previous)) {
                    break;
                }
                previous = plan;
                Pruner.Planned planned = pruner.planned(modelName, analysis, scores, options, plan, (System.nanoTime() - t0) / 1_000_000);
                Pruner.Result result = pruner.cut(analysis, planned, update);
                LatencyComparison measured;
                try (OnnxRunner cut = runtime.open(result.pruned())) {
                    measured = runtime.compare(original, cut, WARMUP, ROUNDS);
                }
                double predicted = model.predictMs(kept(full, plan)) / fullMs;
                steps.add(new Step(ask, predicted, measured));
                progress.accept(String.format(Locale.ROOT, "  asked a predicted %.3f: predicted %.3f, measured %.3f (quartiles %.3f-%.3f), MACs %.1f%%",
                        ask, predicted, measured.ratio(), measured.ratioLow(), measured.ratioHigh(), 100 * result.after().macsRatio(result.before())));
                Candidate c = new Candidate(planned, result, measured);
                if (fastest == null || measured.ratio() < fastest.latency.ratio()) {
                    fastest = c;
                }
                if (measured.ratio() <= target) {
                    if (ask >= feasibleAsk) {
                        best = c;
                        feasibleAsk = ask;
                    }
                    if (measured.ratio() >= target - CLOSE_ENOUGH) {
                        break;
                    }
                } else {
                    infeasibleAsk = Math.min(infeasibleAsk, ask);
                }
                ask = nextAsk(ask, measured.ratio(), target, feasibleAsk, infeasibleAsk);
            }
        }
        Candidate chosen = best != null ? best : fastest;
        return new Outcome(target, chosen.planned, chosen.result, chosen.latency, steps, best != null);
    }

    /**
     * Scales the predicted share by how far the measurement missed, aiming a little below the target; kept between
     * the shares already known to be met and missed (their midpoint when the scaled one falls outside).
     */
    static double nextAsk(double ask, double measured, double target, double feasibleAsk, double infeasibleAsk) {
        double next = ask * (target - CLOSE_ENOUGH / 2) / measured;
        if (next <= feasibleAsk || next >= infeasibleAsk) {
            next = (Math.max(feasibleAsk, 0) + Math.min(infeasibleAsk, 1)) / 2;
        }
        return Math.max(0.01, Math.min(1, next));
    }

    private static int[] kept(int[] full, PruningPlan plan) {
        int[] kept = full.clone();
        plan.keptChannels().forEach((g, k) -> kept[g] = k.length);
        return kept;
    }

    private record Candidate(Pruner.Planned planned, Pruner.Result result, LatencyComparison latency) {
    }
}
