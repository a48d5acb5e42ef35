package dev.spa.cost;

import dev.spa.groups.Analysis;
import dev.spa.groups.PrunedShapes;
import dev.spa.plan.PruningPlan;

/**
 * The price of a plan before any surgery: the model's parameters and MACs with each group's kept channels, from
 * the analysed shapes. The one place a plan is priced (selection, the pruner's report, the manifest, the exporter).
 */
public final class PlanCost {
    private final Analysis analysis;
    private final CostModel costModel;
    private final Cost original;

    public PlanCost(Analysis analysis) {
        this.analysis = analysis;
        this.costModel = new CostModel(analysis.model().graph(), analysis.rules());
        this.original = of(PruningPlan.empty()); // every caller compares with it, some many times (a selection's search)
    }

    public Cost of(PruningPlan plan) {
        return costModel.total(PrunedShapes.of(analysis.unitShapes(), plan.keptPositions(analysis.groups())));
    }

    /** The unpruned model's cost. */
    public Cost original() {
        return original;
    }
}
