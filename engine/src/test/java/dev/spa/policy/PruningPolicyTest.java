package dev.spa.policy;

import dev.spa.SpaException;
import dev.spa.importance.GroupScorer.Aggregation;
import dev.spa.importance.GroupScorer.Normalization;
import dev.spa.importance.MagnitudeCriterion;
import dev.spa.importance.RandomCriterion;
import dev.spa.obspa.ObspaCriterion.Order;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed policy: its defaults, the measured-best update and normalisation, the names users type, the checks. */
class PruningPolicyTest {
    private static final SelectionOptions HALF = new SelectionOptions(Target.parse("macs=0.5"), true, 1, 1, Set.of());

    @Test
    void theBuilderHoldsTheDefaultsMeasuredBest() {
        PruningPolicy p = PruningPolicy.of(CriterionKind.OBSPA, HALF);
        assertEquals(HessianSourceKind.DATA_FREE, p.hessianSource());
        assertEquals(UpdateKind.MEASURED_BEST, p.update());
        assertEquals(0.5, p.rho());
        assertEquals(0.03, p.dampening());
        assertEquals(Order.GREEDY, p.order());
        assertEquals(0, p.oodSamples(), "no count stated: the capture is sized to the model");
        assertEquals(Aggregation.SUM, p.aggregate());
        assertEquals(p, p.toBuilder().build(), "toBuilder keeps every field");
    }

    @Test
    void theUpdateAndNormalisationNotStatedAreTheMeasuredBest() {
        assertEquals(UpdateKind.OBSPA, PruningPolicy.of(CriterionKind.OBSPA, HALF).effectiveUpdate());
        assertEquals(UpdateKind.OBSPA_SEQUENTIAL, PruningPolicy.builder(CriterionKind.OBSPA, HALF)
                .source(HessianSourceKind.CALIBRATION, Path.of("samples.f32")).build().effectiveUpdate());
        assertEquals(UpdateKind.NONE, PruningPolicy.of(CriterionKind.L2, HALF).effectiveUpdate());
        assertEquals(Normalization.NONE, PruningPolicy.of(CriterionKind.OBSPA, HALF).effectiveNormalization());
        assertEquals(Normalization.MEAN, PruningPolicy.of(CriterionKind.L1, HALF).effectiveNormalization());
        assertEquals(Normalization.MAX, PruningPolicy.builder(CriterionKind.L1, HALF).normalize(Normalization.MAX).build().effectiveNormalization());
        assertTrue(PruningPolicy.builder(CriterionKind.L2, HALF).update(UpdateKind.OBSPA).build().usesObspa());
        assertTrue(!PruningPolicy.of(CriterionKind.L2, HALF).usesObspa());
    }

    @Test
    void criteriaAreBuiltByTheirKind() {
        assertInstanceOf(MagnitudeCriterion.class, CriterionKind.L2.create(PruningPolicy.of(CriterionKind.L2, HALF), null));
        assertInstanceOf(RandomCriterion.class, CriterionKind.RANDOM.create(PruningPolicy.of(CriterionKind.RANDOM, HALF), null));
        assertEquals("l2", CriterionKind.L2.create(PruningPolicy.of(CriterionKind.L2, HALF), null).name());
    }

    @Test
    void namesParseInAnyCaseAndAnUnknownOneListsTheKnown() {
        assertEquals(CriterionKind.OBSPA, CriterionKind.parse("OBSPA"));
        assertEquals(HessianSourceKind.SYNTHETIC, HessianSourceKind.parse("ood"));
        assertEquals(UpdateKind.MEASURED_BEST, UpdateKind.parse(""));
        assertEquals(Order.INDEPENDENT, Labelled.parse(Order.class, "independent", "OBSPA order"));
        assertEquals("criterion 'magic' is unknown: use l1, l2, random, bn or obspa",
                assertThrows(SpaException.class, () -> CriterionKind.parse("magic")).getMessage());
        assertEquals("update 'all' is unknown: use none, obspa or obspa-sequential",
                assertThrows(SpaException.class, () -> UpdateKind.parse("all")).getMessage());
    }

    @Test
    void choicesThatDoNotGoTogetherAreRefusedWithTheReason() {
        SpaException auto = assertThrows(SpaException.class,
                () -> PruningPolicy.builder(CriterionKind.L2, HALF).source(HessianSourceKind.AUTO, null).build());
        assertTrue(auto.getMessage().contains("criterion l2"), auto.getMessage());
        SpaException calibration = assertThrows(SpaException.class,
                () -> PruningPolicy.builder(CriterionKind.OBSPA, HALF).source(HessianSourceKind.CALIBRATION, null).build());
        assertTrue(calibration.getMessage().contains("needs calibration samples"), calibration.getMessage());
        SpaException samples = assertThrows(SpaException.class,
                () -> PruningPolicy.builder(CriterionKind.OBSPA, HALF).source(HessianSourceKind.SYNTHETIC, null).oodSamples(-5).build());
        assertTrue(samples.getMessage().contains("(asked: -5)"), samples.getMessage());
    }
}
