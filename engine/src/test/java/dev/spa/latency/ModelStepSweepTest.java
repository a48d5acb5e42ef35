package dev.spa.latency;

import dev.spa.events.manifest.KernelStep;
import dev.spa.events.manifest.LatencyModelRecord;
import dev.spa.events.manifest.ModelStep;
import dev.spa.groups.Analysis;
import dev.spa.importance.GroupScorer;
import dev.spa.importance.MagnitudeCriterion;
import dev.spa.manifest.ManifestWriter;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.plan.PruningPlan;
import dev.spa.pruning.Pruner;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.runtime.LatencyRuntime;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;
import dev.spa.testing.Selections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole model's channel multiple: how it is read from timed half cuts, how it raises the kernels' steps, how it is cached. */
class ModelStepSweepTest {
    private static final int[] CANDIDATES = {1, 4, 8, 16, 32};

    /** x -> Conv 3x3 (W1, 40 ch) -> Relu -> Conv 1x1 (W2, 52 ch) -> Relu -> Conv 1x1 (W3, 10 ch). */
    private static Analysis cnn() {
        return Analysis.of(new GraphBuilder().input("x", -1, 8, 16, 16).output("y")
                .weight("W1", 40, 8, 3, 3).op("Conv", "a", "x", "W1").op("Relu", "r", "a")
                .weight("W2", 52, 40, 1, 1).op("Conv", "c", "r", "W2").op("Relu", "r2", "c")
                .weight("W3", 10, 52, 1, 1).op("Conv", "y", "r2", "W3").model());
    }

    @Test
    void aCoarserMultipleIsTakenOnlyWhenItIsClearlyFaster() {
        // face_slim_320 at 2 threads: half cuts off the 16-channel blocks ran in nearly twice the time
        assertEquals(16, ModelStepSweep.choose(CANDIDATES, new double[] {3.53, 3.40, 2.20, 1.91, 1.93}));
        assertEquals(1, ModelStepSweep.choose(CANDIDATES, new double[] {1.00, 0.99, 1.01, 0.995, 1.0}), "within the noise: no step");
        assertEquals(8, ModelStepSweep.choose(CANDIDATES, new double[] {1.20, 1.10, 0.95, 0.94, 0.96}), "16 is not 2% faster than 8");
    }

    @Test
    void theWholeModelsStepRaisesTheKernelsStepsAndTheHalfCut() {
        Analysis a = cnn();
        LatencyModelRecord.Builder r = LatencyModelRecord.newBuilder().setRuntime("synthetic")
                .addSteps(KernelStep.newBuilder().setKind("DENSE_CONV").setStep(4))
                .addSteps(KernelStep.newBuilder().setKind("POINTWISE_CONV").setStep(32));
        LatencyModel without = new LatencyModel(r.build(), a);
        LatencyModel with = new LatencyModel(r.setModelStep(ModelStep.newBuilder().setStep(16)).build(), a);
        int w1 = Selections.groupOf(a, "W1");
        int w2 = Selections.groupOf(a, "W2");
        assertEquals(4, without.step(w1));
        assertEquals(16, with.step(w1), "the model's multiple wins over a smaller kernel step");
        assertEquals(32, with.step(w2), "a larger kernel step stays");
        PruningPlan half = ModelStepSweep.halfCut(a, with);
        assertEquals(32, half.keptChannels().get(w1).length, "half of 40 is 20, rounded up to 16: 32");
        assertEquals(32, half.keptChannels().get(w2).length, "half of 52 is 26, rounded up to 32");
        assertTrue(with.describeSteps().contains("whole model 16"), with.describeSteps());
    }

    @Test
    void roundingThatWouldMissTheTargetGivesWayToTheCountsAsSelected() {
        Analysis a = cnn();
        Pruner pruner = new Pruner(s -> { });
        Pruner.Scores scores = pruner.score(a, new GroupScorer(MagnitudeCriterion.l2(), GroupScorer.Aggregation.SUM,
                GroupScorer.Normalization.MEAN));
        SelectionOptions half = new SelectionOptions(Target.parse("macs=0.5"), true, 1, 1, Set.of(), 0.25);
        Pruner.Planned stepped = pruner.select("cnn", a, scores, half, group -> 8);
        assertEquals(0, Selections.kept(stepped.plan(), a, "W1") % 8, "a step that still reaches the target is kept");
        assertTrue(stepped.after().macsRatio(stepped.before()) <= 0.5);
        Pruner.Planned wide = pruner.select("cnn", a, scores, half, group -> 64);
        assertTrue(wide.after().macsRatio(wide.before()) <= 0.5, "a step of 64 would keep every group whole: the target wins");
        assertEquals(pruner.select("cnn", a, scores, half).plan().keptChannels().keySet(), wide.plan().keptChannels().keySet());
    }

    @Test
    void theStepIsSweptOnARealRuntimeAndARecordWithoutItIsMeasuredAgain(@TempDir Path cache) throws Exception {
        Analysis a = cnn();
        LatencyRuntime runtime = new LatencyRuntime(ExecutionProvider.CPU, 1, 1);
        LatencyModels.Obtained first = LatencyModels.steps(a, runtime, LatencyModels.folder(cache), s -> { });
        ModelStep step = first.model().record().getModelStep();
        assertEquals(CANDIDATES.length, step.getMsCount(), "every candidate's half cut is timed");
        assertTrue(step.getMsList().stream().allMatch(ms -> ms > 0), step.toString());
        assertEquals(ModelStepSweep.choose(CANDIDATES, step.getMsList().stream().mapToDouble(Double::doubleValue).toArray()), step.getStep());

        Path stored;
        try (var files = Files.list(cache)) {
            stored = files.findFirst().orElseThrow();
        }
        String old = ManifestWriter.json(first.model().record().toBuilder().clearModelStep().build());
        Files.writeString(stored, old);
        LatencyModels.Obtained again = LatencyModels.steps(a, runtime, LatencyModels.folder(cache), s -> { });
        assertFalse(again.cached(), "a record from before the whole-model sweep is measured again, not trusted");
        assertTrue(again.model().record().hasModelStep());
        assertTrue(LatencyModels.steps(a, runtime, LatencyModels.folder(cache), s -> { }).cached());
    }
}
