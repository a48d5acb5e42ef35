package dev.spa.policy;

import dev.spa.SpaException;
import dev.spa.groups.Analysis;
import dev.spa.importance.Criterion;
import dev.spa.importance.GroupScorer;
import dev.spa.obspa.CapturedHessians;
import dev.spa.obspa.DataFreeHessians;
import dev.spa.obspa.HessianSource;
import dev.spa.obspa.Obspa;
import dev.spa.obspa.ObspaUpdate;
import dev.spa.obspa.SequentialRefit;
import dev.spa.obspa.SyntheticSampleCount;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.runtime.InputLayout;
import dev.spa.runtime.InputStatistics;
import dev.spa.runtime.SampleBatches;
import dev.spa.surgery.WeightUpdate;

import java.util.function.Consumer;

/** A policy made concrete for one model: the group scorer and the weight update it asks for. */
public record BuiltPolicy(GroupScorer scorer, WeightUpdate update, String hessianDescription, InputStatistics inputStatistics) {

    public static BuiltPolicy build(PruningPolicy policy, Analysis analysis, Compute compute, Consumer<String> progress) {
        if (policy.choosesDataFree()) {
            throw new IllegalArgumentException("the Hessian source auto is a choice among policies (quality.DataFreeChoice), not one");
        }
        Obspa obspa = null;
        String described = "";
        InputStatistics stats = inputStatistics(policy, analysis);
        if (policy.usesObspa()) {
            HessianSource source = source(policy, analysis, compute.capture(), stats);
            described = source.describe();
            obspa = new Obspa(analysis, source, compute.linalg(), policy.dampening(), progress);
        }
        Criterion criterion = policy.criterion().create(policy, obspa);
        GroupScorer scorer = new GroupScorer(criterion, policy.aggregate(), policy.effectiveNormalization());
        return new BuiltPolicy(scorer, update(policy, analysis, obspa, compute, stats), described, stats);
    }

    /** What the job assumes of its input: as stated, else read from the model, checked against its channels. */
    public static InputStatistics inputStatistics(PruningPolicy policy, Analysis analysis) {
        return InputStatistics.forModel(analysis.model(), policy.inputStatistics());
    }

    private static WeightUpdate update(PruningPolicy policy, Analysis analysis, Obspa obspa, Compute compute, InputStatistics stats) {
        switch (policy.effectiveUpdate()) {
            case NONE: return WeightUpdate.NONE;
            case OBSPA: return new ObspaUpdate(obspa);
            case OBSPA_SEQUENTIAL: {
                if (policy.hessianSource() == HessianSourceKind.DATA_FREE) {
                    throw new SpaException("the obspa-sequential update needs samples: calibration data or ood noise");
                }
                SampleBatches samples = samples(policy, analysis, stats);
                if (policy.update() == UpdateKind.MEASURED_BEST && !SequentialRefit.enoughSamples(obspa, analysis, samples.samples())) {
                    return new ObspaUpdate(obspa); // the measured default: too few samples to re-fit on without overfitting
                }
                return new SequentialRefit(obspa, analysis.model(), samples, compute.linalg(), compute.capture());
            }
            default: throw new IllegalStateException("effectiveUpdate() names an update: " + policy.effectiveUpdate());
        }
    }

    private static HessianSource source(PruningPolicy policy, Analysis analysis, ExecutionProvider capture, InputStatistics stats) {
        switch (policy.hessianSource()) {
            case CALIBRATION:
                return new CapturedHessians(samples(policy, analysis, stats), "calibration data " + policy.calibration().getFileName(), capture);
            case SYNTHETIC:
                InputLayout layout = InputLayout.of(analysis.model());
                return new CapturedHessians(samples(policy, analysis, stats), SampleBatches.describeSynthetic(layout)
                        + (layout.takesFloats() ? " " + stats.describe() : ""), capture);
            default:
                return new DataFreeHessians(stats, policy.rho(), policy.channelCovariance());
        }
    }

    /** Calibration data or synthetic inputs, as the policy names them. */
    private static SampleBatches samples(PruningPolicy policy, Analysis analysis, InputStatistics stats) {
        InputLayout layout = InputLayout.of(analysis.model());
        if (policy.hessianSource() == HessianSourceKind.CALIBRATION) {
            return SampleBatches.fromFile(policy.calibration(), layout);
        }
        return SampleBatches.synthetic(layout, SyntheticSampleCount.of(analysis, policy.oodSamples()), stats, policy.seed(), true);
    }
}
