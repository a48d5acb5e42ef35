package dev.spa.quality;

import dev.spa.SpaException;
import dev.spa.groups.Analysis;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.policy.BuiltPolicy;
import dev.spa.policy.Compute;
import dev.spa.policy.CriterionKind;
import dev.spa.policy.HessianSourceKind;
import dev.spa.policy.PruningPolicy;
import dev.spa.policy.UpdateKind;
import dev.spa.pruning.Pruner;
import dev.spa.runtime.Agreement;
import dev.spa.runtime.ReferenceInputs;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;
import dev.spa.testing.SharedFiles;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Hessian source auto on the trained digits CNN: each data-free candidate tried, the closest to the original kept. */
class DataFreeChoiceTest {
    private static final SelectionOptions HALF_THE_MACS = new SelectionOptions(Target.parse("macs=0.5"), true, 1, 1, Set.of());

    @Test
    void keepsTheCandidateClosestToTheOriginalAndItsPartsReproduceIt() {
        Setup s = digits();
        DataFreeChoice.Outcome o = new DataFreeChoice(line -> { }).choose("digits", s.analysis, s.auto, Compute.cpu(), s.reference);

        assertEquals(3, o.tried().size(), o.describe());
        assertEquals("", o.skipped());
        double lowest = o.tried().stream().mapToDouble(DataFreeChoice.Tried::relativeError).min().orElseThrow();
        double highest = o.tried().stream().mapToDouble(DataFreeChoice.Tried::relativeError).max().orElseThrow();
        assertEquals(lowest, o.chosen().relativeError(), o.describe());
        assertTrue(highest > lowest + 0.01, "the candidates prune differently: " + o.describe());
        for (DataFreeChoice.Tried t : o.tried()) {
            assertTrue(o.describe().contains(t.name()), o.describe());
        }
        // the job goes on with the chosen parts and scores: cut again, they give the model that was measured
        Pruner pruner = new Pruner(line -> { });
        Pruner.Result r = pruner.cut(s.analysis, pruner.select("digits", s.analysis, o.scores(), HALF_THE_MACS),
                o.parts().update().forLastCut());
        // measured on held-out synthetic images, the model taking images: the job's Gaussian reference would rank static
        ReferenceInputs ranking = ReferenceInputs.heldOutImages(s.model, BuiltPolicy.inputStatistics(s.auto, s.analysis), s.reference);
        assertTrue(o.describe().contains("held-out synthetic images"), o.describe());
        assertEquals(o.chosen().relativeError(), Agreement.measure(s.model, r.pruned(), ranking).relativeError(), 1e-6);
    }

    /** Over the budget the choice is not made: data-free OBSPA's parts, unmeasured, and the reason in the report. */
    @Test
    void overTheBudgetTheFirstCandidateIsTakenAloneWithTheReason() {
        Setup s = digits();
        DataFreeChoice.Outcome o = new DataFreeChoice(line -> { }, 1e6).choose("digits", s.analysis, s.auto, Compute.cpu(), s.reference);

        assertEquals(1, o.tried().size(), o.describe());
        assertEquals("OBSPA on data-free moments", o.chosen().name());
        assertTrue(Double.isNaN(o.chosen().relativeError()), "not measured: there is nothing to choose between");
        assertTrue(o.parts().hessianDescription().contains("data-free"), o.parts().hessianDescription());
        assertTrue(o.skipped().contains("synthetic images cost at most 0 GMAC") && o.describe().contains(o.skipped()), o.describe());
    }

    /** A model that takes token ids, over the budget: its synthetic token sequences, since moments need a float input. */
    @Test
    void overTheBudgetAModelOfTokensTakesSyntheticSequences() {
        Model model = GraphBuilder.tokenModel();
        Analysis analysis = Analysis.of(model);
        PruningPolicy auto = PruningPolicy.builder(CriterionKind.OBSPA, HALF_THE_MACS).source(HessianSourceKind.AUTO, null).build();
        ReferenceInputs reference = ReferenceInputs.synthetic(model, BuiltPolicy.inputStatistics(auto, analysis));
        DataFreeChoice.Outcome o = new DataFreeChoice(line -> { }, 1).choose("tokens", analysis, auto, Compute.cpu(), reference);

        assertEquals("OBSPA on synthetic inputs", o.chosen().name(), o.describe());
        assertTrue(o.parts().hessianDescription().contains("token ids drawn uniformly from 50"), o.parts().hessianDescription());
        assertTrue(o.skipped().contains("token ids do not have"), o.skipped());
    }

    @Test
    void autoIsOnlyForObspasOwnScoresAndIsNotOnePolicy() {
        SpaException e = assertThrows(SpaException.class, () -> PruningPolicy.builder(CriterionKind.L2, HALF_THE_MACS).source(HessianSourceKind.AUTO, null).build());
        assertTrue(e.getMessage().contains("criterion l2"), e.getMessage());
        assertThrows(SpaException.class, () -> PruningPolicy.builder(CriterionKind.OBSPA, HALF_THE_MACS).update(UpdateKind.NONE).source(HessianSourceKind.AUTO, null).build());
        Setup s = digits();
        assertThrows(IllegalArgumentException.class, () -> BuiltPolicy.build(s.auto, s.analysis, Compute.cpu(), line -> { }));
    }

    private record Setup(Model model, Analysis analysis, PruningPolicy auto, ReferenceInputs reference) {
    }

    private static Setup digits() {
        SharedFiles.assumeDigits();
        Model model = new ModelLoader().load(SharedFiles.models().resolve("digits_mobilenet.onnx"));
        Analysis analysis = Analysis.of(model);
        PruningPolicy auto = PruningPolicy.builder(CriterionKind.OBSPA, HALF_THE_MACS).source(HessianSourceKind.AUTO, null).inputStatistics(0.30, 0.38).build();
        return new Setup(model, analysis, auto, ReferenceInputs.synthetic(model, BuiltPolicy.inputStatistics(auto, analysis)));
    }
}
