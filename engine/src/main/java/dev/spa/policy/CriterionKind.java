package dev.spa.policy;

import dev.spa.importance.BatchNormScaleCriterion;
import dev.spa.importance.Criterion;
import dev.spa.importance.MagnitudeCriterion;
import dev.spa.importance.RandomCriterion;
import dev.spa.obspa.Obspa;
import dev.spa.obspa.ObspaCriterion;

import java.util.function.BiFunction;

/** The criteria a policy may name, each registered with how it is built for a policy (and OBSPA's solver, where it scores with one). */
public enum CriterionKind implements Labelled {
    L1("l1", false, (policy, obspa) -> MagnitudeCriterion.l1()),
    L2("l2", false, (policy, obspa) -> MagnitudeCriterion.l2()),
    RANDOM("random", false, (policy, obspa) -> new RandomCriterion(policy.seed())),
    BN("bn", false, (policy, obspa) -> new BatchNormScaleCriterion()),
    OBSPA("obspa", true, (policy, obspa) -> new ObspaCriterion(obspa, policy.order()));

    private final String label;
    private final boolean scoresWithHessians;
    private final BiFunction<PruningPolicy, Obspa, Criterion> factory;

    CriterionKind(String label, boolean scoresWithHessians, BiFunction<PruningPolicy, Obspa, Criterion> factory) {
        this.label = label;
        this.scoresWithHessians = scoresWithHessians;
        this.factory = factory;
    }

    @Override
    public String label() {
        return label;
    }

    /** Whether its scores are OBSPA's losses (which need layer Hessians, and are comparable across layers as they are). */
    public boolean scoresWithHessians() {
        return scoresWithHessians;
    }

    /** @param obspa the solver on the policy's Hessians, or null where the policy uses none */
    public Criterion create(PruningPolicy policy, Obspa obspa) {
        return factory.apply(policy, obspa);
    }

    public static CriterionKind parse(String label) {
        return Labelled.parse(CriterionKind.class, label, "criterion");
    }
}
