package dev.spa.obspa;

import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.ir.Model;
import dev.spa.linalg.CpuLinalg;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.plan.PruningPlan;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.runtime.InputStatistics;
import dev.spa.runtime.ModelOutputs;
import dev.spa.runtime.SampleBatches;
import dev.spa.surgery.Surgery;
import dev.spa.surgery.WeightUpdate;
import dev.spa.testing.PruneCheck;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layer-by-layer re-fit on samples: the identity where nothing is removed, and closer to the original than all at once. */
class SequentialRefitTest {
    private static final int CHANNELS = 8;
    private static final int SAMPLES = 64;

    private static Model chain() {
        GraphBuilder b = new GraphBuilder().input("x", -1, CHANNELS, 6, 6);
        String previous = "x";
        for (int i = 0; i < 4; i++) {
            b.weight("W" + i, CHANNELS, CHANNELS, 3, 3).weight("B" + i, CHANNELS)
                    .opAttrs("Conv", "c" + i, new String[] {previous, "W" + i, "B" + i}, "pads", new long[] {1, 1, 1, 1});
            previous = "r" + i;
            b.op("Relu", previous, "c" + i);
        }
        return b.weight("Wout", 4, CHANNELS, 1, 1).op("Conv", "y", previous, "Wout").output("y").model();
    }

    private static SampleBatches samples(Model model) {
        return SampleBatches.gaussian(SampleBatches.sampleShape(model), SAMPLES, InputStatistics.DEFAULT, 7);
    }

    private static PruningPlan keeping(Analysis analysis, IntPredicate keep) {
        Map<Integer, int[]> kept = new HashMap<>();
        for (Group g : analysis.prunableGroups()) {
            kept.put(g.id(), IntStream.range(0, g.channels()).filter(keep).toArray());
        }
        return new PruningPlan(kept);
    }

    private static Obspa obspa(Analysis analysis, SampleBatches samples) {
        return new Obspa(analysis, new CapturedHessians(samples, "test samples", ExecutionProvider.CPU), new CpuLinalg(), 0.01, s -> { });
    }

    private static SequentialRefit refit(Analysis analysis, SampleBatches samples) {
        return new SequentialRefit(obspa(analysis, samples), analysis.model(), samples, new CpuLinalg(), ExecutionProvider.CPU);
    }

    /** The relative output error of {@code pruned} against the original on the samples. */
    private static double error(Model original, Model pruned, SampleBatches samples) {
        double[] worst = {0};
        samples.forEachBatch(SAMPLES, (data, count) -> {
            ModelOutputs a = PruneCheck.run(original, Map.of("x", data), count, List.of());
            ModelOutputs b = PruneCheck.run(pruned, Map.of("x", data), count, List.of());
            worst[0] = Math.max(worst[0], a.relativeError(b));
        });
        return worst[0];
    }

    @Test
    void withNothingRemovedTheRefitLeavesTheModelAsItWas() {
        Model model = chain();
        Analysis analysis = Analysis.of(model);
        SampleBatches samples = samples(model);
        Model refitted = Surgery.apply(analysis, keeping(analysis, c -> true), refit(analysis, samples));
        // a ridge toward zero instead of toward the original weights shrank each layer by its dampening: 0.05 here
        double error = error(model, refitted, samples);
        assertTrue(error < 1e-4, "relative output error " + error);
    }

    @Test
    void withChannelsRemovedTheRefitIsCloserToTheOriginalThanTheAllAtOnceUpdate() {
        Model model = chain();
        Analysis analysis = Analysis.of(model);
        SampleBatches samples = samples(model);
        PruningPlan plan = keeping(analysis, c -> c % 3 != 1);
        WeightUpdate allAtOnce = new ObspaUpdate(obspa(analysis, samples));
        double none = error(model, Surgery.apply(analysis, plan), samples);
        double once = error(model, Surgery.apply(analysis, plan, allAtOnce), samples);
        double sequential = error(model, Surgery.apply(analysis, plan, refit(analysis, samples)), samples);
        assertTrue(sequential < once && once < none, "no update " + none + ", all at once " + once + ", layer by layer " + sequential);
    }
}
