package dev.spa.latency;

import dev.spa.SpaException;
import dev.spa.events.manifest.KernelStep;
import dev.spa.events.manifest.LatencyCurve;
import dev.spa.events.manifest.LatencyModelRecord;
import dev.spa.events.manifest.LayerLatency;
import dev.spa.groups.Analysis;
import dev.spa.importance.MagnitudeCriterion;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.plan.PruningPlan;
import dev.spa.select.ChannelSelector;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;
import dev.spa.select.TargetSpec;
import dev.spa.testing.Selections;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Selection against a synthetic latency model (nothing timed): counts snap to the steps the model states, the
 * predicted share is met, and channels whose removal saves no time are left alone.
 */
class LatencySelectionTest {
    /** x -> Conv 3x3 (W1, 40 ch) -> Relu -> Conv 1x1 (W2, 52 ch) -> Relu -> Conv 1x1 (W3, 10 ch). */
    private static Analysis cnn() {
        return Analysis.of(new GraphBuilder().input("x", -1, 8, 16, 16).output("y")
                .weight("W1", 40, 8, 3, 3).op("Conv", "a", "x", "W1").op("Relu", "r", "a")
                .weight("W2", 52, 40, 1, 1).op("Conv", "c", "r", "W2").op("Relu", "r2", "c")
                .weight("W3", 10, 52, 1, 1).op("Conv", "y", "r2", "W3").model());
    }

    /** Time linear in each size, or flat (the layer costs the same whatever its sizes). */
    private static LayerLatency layer(TimedLayer l, double fullMs, boolean flat) {
        return LayerLatency.newBuilder().setNode(l.node().name()).setKind(l.kind().name()).setFullMs(fullMs)
                .setOut(curve(l.outSize(), flat)).setIn(curve(l.inSize(), flat)).build();
    }

    private static LatencyCurve curve(long full, boolean flat) {
        return LatencyCurve.newBuilder().addSizes(full / 4).addRatios(flat ? 1 : 0.25).addSizes(full).addRatios(1).build();
    }

    private static LatencyModel model(Analysis a, int denseStep, int pointwiseStep, boolean pointwiseFlat) {
        LatencyModelRecord.Builder r = LatencyModelRecord.newBuilder().setRuntime("synthetic").setLayerScale(1).setOtherMs(0.1)
                .addSteps(KernelStep.newBuilder().setKind("DENSE_CONV").setStep(denseStep))
                .addSteps(KernelStep.newBuilder().setKind("POINTWISE_CONV").setStep(pointwiseStep));
        for (TimedLayer l : TimedLayer.of(a)) {
            boolean pointwise = l.kind() == TimedLayer.Kind.POINTWISE_CONV;
            r.addLayers(layer(l, pointwise ? 1 : 2, pointwise && pointwiseFlat));
        }
        return new LatencyModel(r.build(), a);
    }

    private static Map<Integer, double[]> scores(Analysis a) {
        return Selections.scores(a, MagnitudeCriterion.l2());
    }

    private static int kept(PruningPlan p, Analysis a, String weight) {
        return Selections.kept(p, a, weight);
    }

    private static int[] counts(PruningPlan p, LatencyModel m) {
        int[] kept = m.fullCounts();
        p.keptChannels().forEach((g, k) -> kept[g] = k.length);
        return kept;
    }

    private static final SelectionOptions OPTIONS = new SelectionOptions(new Target(Target.Kind.LATENCY, 0.5), true, 1, 1, Set.of(), 0.25);

    @Test
    void countsSnapToTheStepsOfTheKernelsThatProduceThem() {
        Analysis a = cnn();
        LatencyModel m = model(a, 16, 8, false);
        PruningPlan p = new LatencySelector(a, m).select(scores(a), OPTIONS, 0.5);
        int w1 = kept(p, a, "W1");
        int w2 = kept(p, a, "W2");
        assertTrue(w1 < 40 && w1 % 16 == 0, "W1 (a dense Conv, step 16) keeps a multiple of 16: " + w1);
        assertTrue(w2 < 52 && w2 % 8 == 0, "W2 (a pointwise Conv, step 8) keeps a multiple of 8: " + w2);
        assertTrue(m.predictMs(counts(p, m)) <= 0.5 * m.predictMs(m.fullCounts()) + 1e-9, "the predicted share is met");
        assertEquals(16, m.step(Selections.groupOf(a, "W1")));
    }

    @Test
    void otherStepsGiveOtherCounts() {
        Analysis a = cnn();
        LatencyModel m = model(a, 4, 4, false);
        PruningPlan p = new LatencySelector(a, m).select(scores(a), OPTIONS, 0.5);
        assertEquals(0, kept(p, a, "W1") % 4);
        assertEquals(0, kept(p, a, "W2") % 4);
    }

    @Test
    void channelsWhoseRemovalSavesNoTimeAreLeftAlone() {
        Analysis a = cnn();
        // W2's channels are the output of one pointwise Conv and the input of another: both flat
        LatencyModel m = model(a, 8, 8, true);
        PruningPlan p = new LatencySelector(a, m).select(scores(a), OPTIONS, 0.7);
        assertEquals(52, kept(p, a, "W2"), "cutting W2 saves nothing on this runtime");
        assertTrue(kept(p, a, "W1") < 40);
    }

    @Test
    void floorsHoldWhenTheShareCannotBeReached() {
        Analysis a = cnn();
        LatencyModel m = model(a, 8, 8, false);
        PruningPlan p = new LatencySelector(a, m).select(scores(a), OPTIONS, 0.01);
        assertEquals(16, kept(p, a, "W1"), "a quarter of 40 is 10, rounded up to the step of 8: 16");
        assertEquals(16, kept(p, a, "W2"), "a quarter of 52 is 13, rounded up to 16");
    }

    @Test
    void aLatencyTargetParsesAndIsNeverPricedByCounting() {
        assertEquals(new Target(Target.Kind.LATENCY, 0.5), Target.parse("latency=0.5"));
        SpaException both = assertThrows(SpaException.class, () -> TargetSpec.parse("latency=0.5,agreement=0.9"));
        assertTrue(both.getMessage().contains("not with a latency target"), both.getMessage());
        Analysis a = cnn();
        SpaException counted = assertThrows(SpaException.class, () -> new ChannelSelector(a).select(scores(a), OPTIONS));
        assertTrue(counted.getMessage().contains("latency model"), counted.getMessage());
        assertThrows(SpaException.class, () -> Target.parse("latency=1.5"));
    }
}
