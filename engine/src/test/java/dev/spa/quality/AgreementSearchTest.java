package dev.spa.quality;

import dev.spa.groups.Analysis;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.policy.BuiltPolicy;
import dev.spa.policy.Compute;
import dev.spa.policy.CriterionKind;
import dev.spa.policy.HessianSourceKind;
import dev.spa.policy.PruningPolicy;
import dev.spa.pruning.Pruner;
import dev.spa.runtime.Accuracy;
import dev.spa.runtime.Agreement;
import dev.spa.runtime.InputStatistics;
import dev.spa.runtime.ReferenceInputs;
import dev.spa.runtime.SampleBatches;
import dev.spa.select.SelectionOptions;
import dev.spa.select.TargetSpec;
import dev.spa.testing.SharedFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --target agreement=F} on the trained digits CNN with its calibration samples as the
 * reference: the deepest cut measured at the floor or above, never one below it.
 */
class AgreementSearchTest {
    @Test
    void agreementTargetFindsTheDeepestCutAboveTheFloor() {
        SharedFiles.assumeDigits();
        Path calibration = SharedFiles.data().resolve("digits_calib_x.f32");
        Model model = new ModelLoader().load(SharedFiles.models().resolve("digits_mobilenet.onnx"));
        Analysis analysis = Analysis.of(model);
        TargetSpec spec = TargetSpec.parse("agreement=0.97");
        SelectionOptions options = new SelectionOptions(spec.cost(), true, 1, 1, Set.of());
        PruningPolicy policy = PruningPolicy.builder(CriterionKind.OBSPA, options).source(HessianSourceKind.CALIBRATION, calibration).build();
        BuiltPolicy parts = BuiltPolicy.build(policy, analysis, Compute.cpu(), s -> { });
        Pruner.Scores scores = new Pruner(s -> { }).score(analysis, parts.scorer());
        ReferenceInputs reference = ReferenceInputs.of(model, calibration, parts.inputStatistics());

        AgreementSearch.Outcome o = new AgreementSearch(s -> { }).search("digits", analysis, scores, options, parts.update(),
                reference, spec.agreement());

        assertTrue(o.met());
        assertTrue(o.agreement().score() >= 0.97, o.agreement().describe());
        double kept = o.result().after().macsRatio(o.result().before());
        assertTrue(kept < 0.9, "it cut something: " + kept);
        boolean deeperBelow = false;
        for (AgreementSearch.Step step : o.steps()) {
            if (step.agreement().score() >= 0.97) {
                assertTrue(step.kept() >= kept - 1e-9, "a deeper cut above the floor was measured: " + step);
            } else {
                deeperBelow |= step.kept() < kept;
            }
        }
        assertTrue(deeperBelow, "the search measured a deeper cut below the floor");
        // the reference inputs are calibration samples; on the held-out test set the model stays accurate too
        SampleBatches test = SampleBatches.fromFile(SharedFiles.data().resolve("digits_test_x.f32"), SampleBatches.sampleShape(model));
        double accuracy = Accuracy.top1(o.result().pruned(), test, SampleBatches.readLabels(SharedFiles.data().resolve("digits_test_y.i64")));
        assertTrue(accuracy > 0.9, "test accuracy (92.7% when written; the original 99.2%) " + accuracy);
    }

    @Test
    void aModelComparedWithItselfAgreesFully() {
        SharedFiles.assumeDigits();
        Model model = new ModelLoader().load(SharedFiles.models().resolve("digits_mobilenet.onnx"));
        Agreement a = Agreement.measure(model, model, ReferenceInputs.synthetic(model, InputStatistics.DEFAULT));
        assertTrue(a.classifier());
        assertEquals(1.0, a.top1());
        assertEquals(0.0, a.relativeError(), 1e-12);
        assertEquals(ReferenceInputs.SYNTHETIC_SAMPLES, a.samples());
        assertFalse(a.describe().isEmpty());
    }

    /** A classifier whose logits are all zero (a zero-initialised head) agrees with itself: cosine 1, not 0. */
    @Test
    void aModelWhoseLogitsAreAllZeroAgreesWithItself() {
        Model zeros = new GraphBuilder().input("x", -1, 4).output("y").floats("W", new long[] {4, 3}, new float[12])
                .op("MatMul", "y", "x", "W").model();
        Agreement a = Agreement.measure(zeros, zeros, ReferenceInputs.synthetic(zeros, InputStatistics.DEFAULT));
        assertEquals(1.0, a.cosine(), 1e-12, a.describe());
        assertEquals(1.0, a.score(), 1e-12, a.describe());
    }
}
