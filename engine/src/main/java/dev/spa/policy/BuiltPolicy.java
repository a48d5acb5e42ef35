package dev.spa.policy;

import dev.spa.SpaException;
import dev.spa.cost.PlanCost;
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
import dev.spa.runtime.ClassBalancedImages;
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
        // drawn once, for the Hessians and a sequential re-fit alike; only where OBSPA uses them (a class-balanced draw runs the model)
        Samples samples = policy.usesObspa() && policy.hessianSource().capturesSamples() ? samples(policy, analysis, stats) : null;
        if (policy.usesObspa()) {
            HessianSource source = source(policy, samples, compute.capture(), stats);
            described = source.describe();
            obspa = new Obspa(analysis, source, compute.linalg(), policy.dampening(), progress);
        }
        Criterion criterion = policy.criterion().create(policy, obspa);
        GroupScorer scorer = new GroupScorer(criterion, policy.aggregate(), policy.effectiveNormalization());
        return new BuiltPolicy(scorer, update(policy, analysis, obspa, compute, samples), described, stats);
    }

    /** What the job assumes of its input: as stated, else read from the model, checked against its channels. */
    public static InputStatistics inputStatistics(PruningPolicy policy, Analysis analysis) {
        return InputStatistics.forModel(analysis.model(), policy.inputStatistics());
    }

    private static WeightUpdate update(PruningPolicy policy, Analysis analysis, Obspa obspa, Compute compute, Samples drawn) {
        switch (policy.effectiveUpdate()) {
            case NONE: return WeightUpdate.NONE;
            case OBSPA: return new ObspaUpdate(obspa);
            case OBSPA_SEQUENTIAL: {
                if (drawn == null) {
                    throw new SpaException("the obspa-sequential update needs samples: calibration data or ood noise");
                }
                SampleBatches samples = drawn.batches();
                if (policy.update() == UpdateKind.MEASURED_BEST && !SequentialRefit.enoughSamples(obspa, analysis, samples.samples())) {
                    return new ObspaUpdate(obspa); // the measured default: too few samples to re-fit on without overfitting
                }
                return new SequentialRefit(obspa, analysis.model(), samples, compute.linalg(), compute.capture());
            }
            default: throw new IllegalStateException("effectiveUpdate() names an update: " + policy.effectiveUpdate());
        }
    }

    private static HessianSource source(PruningPolicy policy, Samples samples, ExecutionProvider capture, InputStatistics stats) {
        if (samples == null) {
            return new DataFreeHessians(stats, policy.rho(), policy.channelCovariance());
        }
        return new CapturedHessians(samples.batches(), samples.description(), capture);
    }

    /** The samples a capture runs: the policy's calibration data, or synthetic inputs. */
    private record Samples(SampleBatches batches, String description) {
    }

    /**
     * Calibration data, or synthetic inputs as many as the model's layers need (class-balanced images for an image
     * classifier where that is cheap: {@link ClassBalancedImages}).
     */
    private static Samples samples(PruningPolicy policy, Analysis analysis, InputStatistics stats) {
        InputLayout layout = InputLayout.of(analysis.model());
        if (policy.hessianSource() == HessianSourceKind.CALIBRATION) {
            return new Samples(SampleBatches.fromFile(policy.calibration(), layout), "calibration data " + policy.calibration().getFileName());
        }
        int count = SyntheticSampleCount.of(analysis, policy.oodSamples());
        ClassBalancedImages.Drawn drawn = ClassBalancedImages.draw(analysis.model(), count, stats, policy.seed(),
                new PlanCost(analysis).original().macs());
        return new Samples(drawn.samples(), SampleBatches.describeSynthetic(layout) + (layout.takesFloats() ? " " + stats.describe() : "")
                + drawn.note());
    }
}
