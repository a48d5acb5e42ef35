package dev.spa.quality;

import dev.spa.Interruption;
import dev.spa.groups.Analysis;
import dev.spa.pruning.Pruner;
import dev.spa.runtime.Agreement;
import dev.spa.runtime.ReferenceInputs;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;
import dev.spa.surgery.WeightUpdate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Cuts as far as the cost target allows while agreement with the original on the reference inputs
 * stays at the floor or above: the cost target first, and if that falls below the floor, a bisection
 * on the share of the cost kept between it and the whole model. Scores are computed once; each step
 * is a selection, the weight update, the cut and a measurement. Agreement does not fall strictly
 * with every extra channel removed, so the result is the deepest cut measured above the floor.
 */
public final class AgreementSearch {
    private static final int STEPS = 7;

    private final Pruner pruner;
    private final Consumer<String> progress;

    public AgreementSearch(Consumer<String> progress) {
        this.pruner = new Pruner(s -> { });
        this.progress = progress;
    }

    /** One measured cut: the share of the cost kept it was asked for and the agreement it reached. */
    public record Step(double asked, double kept, Agreement agreement) {
    }

    /**
     * @param result the deepest cut above the floor (no cut at all when none is)
     * @param met    whether any cut was above the floor
     */
    public record Outcome(Pruner.Planned planned, Pruner.Result result, Agreement agreement, List<Step> steps, boolean met) {
    }

    public Outcome search(String modelName, Analysis analysis, Pruner.Scores scores, SelectionOptions options, WeightUpdate update,
                          ReferenceInputs reference, double floor) {
        Target cost = options.target();
        Target.Kind kind = cost.kind() == Target.Kind.PARAMS ? Target.Kind.PARAMS : Target.Kind.MACS;
        List<Step> steps = new ArrayList<>();
        Agreement.Baseline original = Agreement.Baseline.of(analysis.model(), reference); // the original runs once
        double lo = cost.value();
        Candidate best = null;
        Candidate first = measure(modelName, analysis, scores, options.withTarget(new Target(kind, lo)), update, original, steps);
        if (first.agreement.score() >= floor) {
            best = first;
        } else {
            double hi = 1;
            for (int i = 0; i < STEPS; i++) {
                Interruption.check();
                double mid = (lo + hi) / 2;
                Candidate c = measure(modelName, analysis, scores, options.withTarget(new Target(kind, mid)), update, original, steps);
                if (c.agreement.score() >= floor) {
                    hi = mid;
                    best = c;
                } else {
                    lo = mid;
                }
            }
        }
        if (best == null) {
            progress.accept(String.format(Locale.ROOT, "no cut kept agreement at %.3f or above; the model is left whole", floor));
            Candidate whole = measure(modelName, analysis, scores, SelectionOptions.local(0), update, original, steps);
            return new Outcome(whole.planned, whole.result, whole.agreement, steps, false);
        }
        return new Outcome(best.planned, best.result, best.agreement, steps, true);
    }

    private record Candidate(Pruner.Planned planned, Pruner.Result result, Agreement agreement) {
    }

    private Candidate measure(String modelName, Analysis analysis, Pruner.Scores scores, SelectionOptions options, WeightUpdate update,
                              Agreement.Baseline original, List<Step> steps) {
        Pruner.Planned planned = pruner.select(modelName, analysis, scores, options);
        Pruner.Result r = pruner.cut(analysis, planned, update);
        Agreement a = original.compare(r.pruned());
        double kept = options.target().keptShare(r.before(), r.after());
        steps.add(new Step(options.target().value(), kept, a));
        progress.accept(String.format(Locale.ROOT, "  asked %s=%.3f: kept %.1f%%, %s %.3f", options.target().kind().name().toLowerCase(Locale.ROOT),
                options.target().value(), 100 * kept, a.measureName(), a.score()));
        return new Candidate(planned, r, a);
    }
}
