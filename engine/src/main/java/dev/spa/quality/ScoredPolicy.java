package dev.spa.quality;

import dev.spa.deps.Analysis;
import dev.spa.plan.Compute;
import dev.spa.plan.PolicyParts;
import dev.spa.plan.PruningPolicy;
import dev.spa.runtime.ReferenceInputs;
import dev.spa.surgery.Pruner;

import java.util.function.Consumer;

/**
 * A policy made concrete and its channel scores: built and scored as stated, or, for the Hessian source auto,
 * the candidate {@link DataFreeChoice} kept, its parts describing the choice (what the report says of the Hessians).
 */
public record ScoredPolicy(PolicyParts parts, Pruner.Scores scores) {

    public static ScoredPolicy of(String modelName, Analysis analysis, PruningPolicy policy, Compute compute, ReferenceInputs reference,
                                  Consumer<String> progress) {
        if (policy.choosesDataFree()) {
            DataFreeChoice.Outcome o = new DataFreeChoice(progress).choose(modelName, analysis, policy, compute, reference);
            progress.accept(o.describe());
            PolicyParts chosen = o.parts();
            return new ScoredPolicy(new PolicyParts(chosen.scorer(), chosen.update(), o.describe(), chosen.inputStatistics()), o.scores());
        }
        PolicyParts parts = PolicyParts.build(policy, analysis, compute, progress);
        return new ScoredPolicy(parts, new Pruner(progress).score(analysis, parts.scorer()));
    }
}
