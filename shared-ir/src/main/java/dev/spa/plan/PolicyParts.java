package dev.spa.plan;

import dev.spa.SpaException;
import dev.spa.deps.Analysis;
import dev.spa.importance.Criteria;
import dev.spa.importance.Criterion;
import dev.spa.importance.GroupScorer;
import dev.spa.obspa.CapturedHessians;
import dev.spa.obspa.DataFreeHessians;
import dev.spa.obspa.HessianSource;
import dev.spa.obspa.Obspa;
import dev.spa.obspa.ObspaCriterion;
import dev.spa.obspa.ObspaUpdate;
import dev.spa.obspa.SequentialRefit;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.runtime.SampleBatches;
import dev.spa.surgery.WeightUpdate;

import java.util.function.Consumer;

/** A policy made concrete for one model: the group scorer and the weight update it asks for. */
public record PolicyParts(GroupScorer scorer, WeightUpdate update, String hessianDescription) {

    public static PolicyParts build(PruningPolicy policy, Analysis analysis, Compute compute, Consumer<String> progress) {
        Obspa obspa = null;
        String described = "";
        if (policy.usesObspa()) {
            HessianSource source = source(policy, analysis, compute.capture());
            described = source.describe();
            obspa = new Obspa(analysis, source, compute.linalg(), policy.dampening(), progress);
        }
        Criterion criterion = policy.criterion().equals("obspa")
                ? new ObspaCriterion(obspa, ObspaCriterion.Order.valueOf(policy.order().toUpperCase()))
                : Criteria.byName(policy.criterion(), policy.seed());
        GroupScorer scorer = new GroupScorer(criterion, GroupScorer.Aggregation.valueOf(policy.aggregate().toUpperCase()),
                GroupScorer.Normalization.valueOf(policy.effectiveNormalization().toUpperCase()));
        return new PolicyParts(scorer, update(policy, analysis, obspa, compute), described);
    }

    private static WeightUpdate update(PruningPolicy policy, Analysis analysis, Obspa obspa, Compute compute) {
        String kind = policy.effectiveUpdate();
        switch (kind) {
            case "none": return WeightUpdate.NONE;
            case "obspa": return new ObspaUpdate(obspa);
            case "obspa-sequential": {
                if (policy.hessianSource().equals("data-free")) {
                    throw new SpaException("the obspa-sequential update needs samples: calibration data or ood noise");
                }
                return new SequentialRefit(obspa, analysis.model(), samples(policy, analysis), compute.linalg(), compute.capture());
            }
            default: throw new SpaException("update '" + kind + "' is unknown: use none, obspa or obspa-sequential");
        }
    }

    private static HessianSource source(PruningPolicy policy, Analysis analysis, ExecutionProvider capture) {
        switch (policy.hessianSource()) {
            case "calibration":
                return new CapturedHessians(samples(policy, analysis), "calibration data " + policy.calibration().getFileName(), capture);
            case "ood":
                return new CapturedHessians(samples(policy, analysis),
                        "Gaussian noise N(" + policy.inputMean() + ", " + policy.inputStd() + "²)", capture);
            default:
                return new DataFreeHessians(policy.inputMean(), policy.inputStd(), policy.rho(), policy.channelCovariance());
        }
    }

    /** Calibration data or synthetic inputs, as the policy names them. */
    private static SampleBatches samples(PruningPolicy policy, Analysis analysis) {
        long[] sample = SampleBatches.sampleShape(analysis.model());
        if (policy.hessianSource().equals("calibration")) {
            return SampleBatches.fromFile(policy.calibration(), sample);
        }
        return SampleBatches.gaussian(sample, policy.oodSamples(), policy.inputMean(), policy.inputStd(), policy.seed());
    }
}
