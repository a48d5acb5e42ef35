package dev.spa.quality;

import dev.spa.Interruption;
import dev.spa.cost.PlanCost;
import dev.spa.groups.Analysis;
import dev.spa.obspa.SyntheticSampleCount;
import dev.spa.plan.PruningPlan;
import dev.spa.policy.BuiltPolicy;
import dev.spa.policy.Compute;
import dev.spa.policy.CriterionKind;
import dev.spa.policy.HessianSourceKind;
import dev.spa.policy.PruningPolicy;
import dev.spa.policy.UpdateKind;
import dev.spa.pruning.Pruner;
import dev.spa.runtime.Agreement;
import dev.spa.runtime.InputLayout;
import dev.spa.runtime.ReferenceInputs;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The Hessian source {@code auto}: with no data, no one data-free method is best on every trained model
 * (BENCHMARKS.md, "Quality": OBSPA on moments propagated through the graph wins on one model, OBSPA on
 * synthetic images on another, magnitude scores with OBSPA's update on a third, by 5-25 points). So the job
 * prunes with each candidate at its target and keeps the one whose outputs stay closest to the original's: the lowest
 * relative output error, a measure every model has (classifier or not), on held-out synthetic images where the model
 * takes images ({@link ReferenceInputs#heldOutImages}), else on the job's reference inputs.
 * The choice costs three prunes and a capture of synthetic images, so it is made where that is cheap
 * ({@link #BUDGET}); a larger model is pruned by the first candidate alone, as the default was before, and the
 * report says so (with every model paying for it, the load test's mix fell from 40 to 27 jobs/min).
 */
public final class DataFreeChoice {
    /**
     * Multiply-accumulates that capturing the synthetic images may cost (samples x the model's MACs) for the choice
     * to be made: about 10 s on a 2-core machine (ResNet-18's 256 images, 470 GMAC, took 56 s).
     */
    public static final double BUDGET = 32e9;

    private final Pruner pruner = new Pruner(s -> { });
    private final Consumer<String> progress;
    private final double budget;

    public DataFreeChoice(Consumer<String> progress) {
        this(progress, BUDGET);
    }

    DataFreeChoice(Consumer<String> progress, double budget) {
        this.progress = progress;
        this.budget = budget;
    }

    /** One candidate tried: its name and relative output error at the job's target (NaN: not measured, the only one). */
    public record Tried(String name, double relativeError) {
    }

    /**
     * @param parts   the chosen candidate's scorer and update, which the job goes on with
     * @param scores  its channel scores
     * @param chosen  the candidate with the lowest error
     * @param tried   every candidate measured, in the order tried
     * @param skipped why the other candidates were not tried, or empty
     */
    public record Outcome(BuiltPolicy parts, Pruner.Scores scores, Tried chosen, List<Tried> tried, String skipped, String reference) {
        /** For the report: which candidate, against what, and the error of each. */
        public String describe() {
            if (tried.size() == 1) {
                return "auto: " + chosen.name() + " (" + parts.hessianDescription() + "); " + skipped;
            }
            StringBuilder s = new StringBuilder("auto: " + chosen.name() + " (" + parts.hessianDescription()
                    + "), the lowest relative output error on " + reference + " of ");
            for (int i = 0; i < tried.size(); i++) {
                s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.3f", tried.get(i).name(), tried.get(i).relativeError()));
            }
            return s.toString();
        }
    }

    /** Whether the default budget lets {@code auto} try every candidate on this model (memory is reserved for a capture then). */
    public static boolean choosesOn(Analysis analysis, PruningPolicy auto) {
        return captureMacs(analysis, SyntheticSampleCount.of(analysis, auto.oodSamples())) <= BUDGET;
    }

    private static double captureMacs(Analysis analysis, int samples) {
        return (double) samples * new PlanCost(analysis).original().macs();
    }

    /**
     * The candidates of an {@code auto} policy: data-free OBSPA, OBSPA on synthetic inputs (images, or token sequences
     * for a model that takes token ids), L2 with OBSPA's update.
     */
    static List<Candidate> candidates(PruningPolicy auto) {
        return List.of(new Candidate("OBSPA on data-free moments", auto.toBuilder().source(HessianSourceKind.DATA_FREE, null).build()),
                new Candidate("OBSPA on synthetic inputs", auto.toBuilder().source(HessianSourceKind.SYNTHETIC, null).build()),
                new Candidate("L2 with OBSPA's update", auto.toBuilder().source(HessianSourceKind.DATA_FREE, null)
                        .criterion(CriterionKind.L2).update(UpdateKind.OBSPA).build()));
    }

    record Candidate(String name, PruningPolicy policy) {
    }

    /**
     * Prunes with each candidate at the policy's target (a latency target's value read as a share of the MACs: the
     * candidates are compared before any latency is measured) and keeps the closest to the original; over the budget,
     * the first candidate's parts and scores, unmeasured.
     */
    public Outcome choose(String modelName, Analysis analysis, PruningPolicy auto, Compute compute, ReferenceInputs reference) {
        List<Candidate> candidates = candidates(auto);
        int samples = SyntheticSampleCount.of(analysis, auto.oodSamples());
        double captureMacs = captureMacs(analysis, samples);
        if (captureMacs > budget) {
            // token ids have no statistics for the moments to start from: synthetic token sequences through the network
            // are what data-free knows of a language model (MiniLM at half the MACs: probe -1.5 points against -12.1)
            boolean tokens = InputLayout.of(analysis.model()).takesTokens();
            Candidate only = candidates.get(tokens ? 1 : 0);
            String skipped = String.format(Locale.ROOT, "the other candidates are tried only where %d synthetic %s cost at most"
                    + " %.0f GMAC, this model %.0f GMAC (name the source to have one)%s", samples, tokens ? "sequences" : "images",
                    budget / 1e9, captureMacs / 1e9, tokens ? "; a model that takes token ids gets its synthetic sequences, since"
                    + " the data-free moments start from a float input's statistics, which token ids do not have" : "");
            progress.accept("auto: " + only.name() + " alone: " + skipped);
            BuiltPolicy parts = BuiltPolicy.build(only.policy(), analysis, compute, progress);
            Tried t = new Tried(only.name(), Double.NaN);
            return new Outcome(parts, pruner.score(analysis, parts.scorer()), t, List.of(t), skipped, reference.description());
        }
        SelectionOptions options = auto.selection();
        if (options.target().kind() == Target.Kind.LATENCY) {
            options = options.withTarget(new Target(Target.Kind.MACS, options.target().value()));
        }
        ReferenceInputs ranking = ReferenceInputs.heldOutImages(analysis.model(), BuiltPolicy.inputStatistics(auto, analysis), reference);
        Agreement.Baseline original = Agreement.Baseline.of(analysis.model(), ranking);
        List<Tried> tried = new ArrayList<>();
        Tried best = null;
        BuiltPolicy bestParts = null; // only the leader's parts are held: a candidate's OBSPA state can be large
        Pruner.Scores bestScores = null;
        for (Candidate c : candidates) {
            Interruption.check();
            progress.accept("auto: trying " + c.name());
            BuiltPolicy parts = BuiltPolicy.build(c.policy(), analysis, compute, s -> { });
            Pruner.Scores scores = pruner.score(analysis, parts.scorer());
            Pruner.Result r = pruner.cut(analysis, pruner.select(modelName, analysis, scores, options), parts.update());
            Tried t = new Tried(c.name(), original.compare(r.pruned()).relativeError());
            progress.accept(String.format(Locale.ROOT, "auto: %s: relative output error %.3f", c.name(), t.relativeError()));
            tried.add(t);
            if (best == null || t.relativeError() < best.relativeError()) {
                best = t;
                bestParts = parts;
                bestScores = scores;
            }
        }
        return new Outcome(bestParts, bestScores, best, tried, "", ranking.description());
    }
}
