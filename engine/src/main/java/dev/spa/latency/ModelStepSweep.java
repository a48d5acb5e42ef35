package dev.spa.latency;

import dev.spa.events.manifest.LatencyModelRecord;
import dev.spa.events.manifest.ModelStep;
import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.ir.Model;
import dev.spa.plan.PruningPlan;
import dev.spa.runtime.LatencyRuntime;
import dev.spa.surgery.Surgery;
import dev.spa.surgery.WeightUpdate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The channel multiple the whole model runs fastest at on a runtime. ONNX Runtime's CPU provider runs a convolution
 * in its blocked layout (NCHWc, blocks of 8 or 16 channels) only when the channels are multiples of the block; one
 * convolution off the block runs in the plain layout with reorders around it. A layer timed alone never shows that
 * cost (the reorders surround it whatever its size), so the model itself is cut to about half of every group, the
 * counts rounded up to each candidate multiple (and to the kernels' own steps), and the cuts are timed interleaved.
 */
final class ModelStepSweep {
    static final int[] CANDIDATES = {1, 4, 8, 16, 32};
    /** A larger multiple is only taken when it is more than this much faster than every smaller one (timing noise). */
    private static final double NOISE = 0.02;
    /** Timed for at least this long, all cuts together, so that the medians of a fast model are steady to a percent or two. */
    private static final double TIMING_MILLIS = 2000;

    private ModelStepSweep() {
    }

    /** Times the candidates' half cuts; {@code kernels} holds the kernels' steps already swept. */
    static ModelStep sweep(Analysis analysis, LatencyModelRecord kernels, LatencyRuntime runtime) {
        List<Supplier<Model>> cuts = new ArrayList<>();
        for (int s : CANDIDATES) {
            PruningPlan plan = halfCut(analysis, new LatencyModel(withStep(kernels, s), analysis));
            cuts.add(() -> Surgery.apply(analysis, plan, WeightUpdate.NONE));
        }
        double[] ms = new InterleavedTimer(runtime, 2, 9, TIMING_MILLIS).mediansOf(cuts);
        ModelStep.Builder b = ModelStep.newBuilder().setStep(choose(CANDIDATES, ms));
        for (int i = 0; i < CANDIDATES.length; i++) {
            b.addCandidates(CANDIDATES[i]).addMs(ms[i]);
        }
        return b.build();
    }

    /** The smallest candidate whose time is within the noise of the fastest: a coarser multiple has to earn its keep. */
    static int choose(int[] candidates, double[] ms) {
        double fastest = Double.POSITIVE_INFINITY;
        for (double m : ms) {
            fastest = Math.min(fastest, m);
        }
        for (int i = 0; i < candidates.length; i++) {
            if (ms[i] <= fastest * (1 + NOISE)) {
                return candidates[i];
            }
        }
        throw new IllegalArgumentException("no finite time among " + candidates.length + " candidates");
    }

    /** Every group cut to half its channels, rounded up to its step in {@code model}: the first channels kept. */
    static PruningPlan halfCut(Analysis analysis, LatencyModel model) {
        Map<Integer, int[]> plan = new HashMap<>();
        for (Group g : analysis.prunableGroups()) {
            int k = (int) Math.min(g.channels(), KernelSteps.roundUp((g.channels() + 1) / 2, model.step(g.id())));
            if (k < g.channels()) {
                plan.put(g.id(), IntStream.range(0, k).toArray());
            }
        }
        return new PruningPlan(plan);
    }

    private static LatencyModelRecord withStep(LatencyModelRecord record, int step) {
        return record.toBuilder().setModelStep(ModelStep.newBuilder().setStep(step)).build();
    }
}
