package dev.spa.quality;

import dev.spa.groups.Analysis;
import dev.spa.policy.BuiltPolicy;
import dev.spa.policy.Compute;
import dev.spa.policy.PruningPolicy;
import dev.spa.pruning.Pruner;
import dev.spa.runtime.ReferenceInputs;

import java.util.function.Consumer;

/**
 * A policy made concrete and its channel scores: built and scored as stated, or, for the Hessian source auto,
 * the candidate {@link DataFreeChoice} kept, its parts describing the choice (what the report says of the Hessians).
 */
public record ScoredPolicy(BuiltPolicy parts, Pruner.Scores scores) {

    public static ScoredPolicy of(String modelName, Analysis analysis, PruningPolicy policy, Compute compute, ReferenceInputs reference,
                                  Consumer<String> progress) {
        if (policy.choosesDataFree()) {
            DataFreeChoice.Outcome o = new DataFreeChoice(progress).choose(modelName, analysis, policy, compute, reference);
            progress.accept(o.describe());
            BuiltPolicy chosen = o.parts();
            return new ScoredPolicy(new BuiltPolicy(chosen.scorer(), chosen.update(), o.describe(), chosen.inputStatistics()), o.scores());
        }
        BuiltPolicy parts = BuiltPolicy.build(policy, analysis, compute, progress);
        return new ScoredPolicy(parts, new Pruner(progress).score(analysis, parts.scorer()));
    }
}
