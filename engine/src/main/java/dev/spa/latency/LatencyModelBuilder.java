package dev.spa.latency;

import dev.spa.Interruption;
import dev.spa.events.manifest.KernelStep;
import dev.spa.events.manifest.LatencyCurve;
import dev.spa.events.manifest.LatencyModelRecord;
import dev.spa.events.manifest.LayerLatency;
import dev.spa.events.manifest.ModelStep;
import dev.spa.groups.Analysis;
import dev.spa.ir.Model;
import dev.spa.ir.Shapes;
import dev.spa.plan.PruningPlan;
import dev.spa.runtime.LatencyComparison;
import dev.spa.runtime.LatencyRuntime;
import dev.spa.runtime.OnnxRunner;
import dev.spa.surgery.Surgery;
import dev.spa.surgery.WeightUpdate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Measures a model's latency model on one runtime. First, for each kind of layer (dense, pointwise, depthwise
 * and grouped Conv, linear), one layer of median size is timed at every output size from 32 below its own up
 * to it, and the channel multiple the kernel runs at is read from that sweep ({@link KernelSteps}); the whole
 * model's own multiple is read from half cuts of it ({@link ModelStepSweep}). Then every
 * timed layer is run alone at full size, at 3/4, 1/2 and 1/4 of its output size and of its input size (rounded
 * up to its kind's step), all of a layer's variants interleaved; and the whole model, for the time no layer
 * accounts for.
 */
public final class LatencyModelBuilder {
    private static final double[] FRACTIONS = {0.75, 0.5, 0.25};
    private static final int SWEEP = 32;
    /** The most weights one variant of a kind's sweep holds (see {@link #sweepInSize}). */
    private static final long SWEEP_VARIANT_BYTES = 16L << 20;

    private final LatencyRuntime runtime;
    private final Consumer<String> progress;

    public LatencyModelBuilder(LatencyRuntime runtime, Consumer<String> progress) {
        this.runtime = runtime;
        this.progress = progress;
    }

    /** The kernels' steps alone (a few seconds): what rounding a MACs target's counts to the kernels needs. */
    public LatencyModelRecord buildSteps(Analysis analysis, String modelSha256) {
        long t0 = System.nanoTime();
        LatencyModelRecord.Builder record = header(modelSha256);
        sweepAll(new LayerModels(analysis.model(), analysis.shapes(), analysis.unitShapes(), runtime.batch()), timedLayers(analysis), record);
        sweepModel(analysis, record);
        return record.setBuildMs((System.nanoTime() - t0) / 1_000_000).build();
    }

    public LatencyModelRecord build(Analysis analysis, String modelSha256) {
        long t0 = System.nanoTime();
        LayerModels models = new LayerModels(analysis.model(), analysis.shapes(), analysis.unitShapes(), runtime.batch());
        List<TimedLayer> layers = timedLayers(analysis);
        progress.accept("measuring a latency model on " + runtime.describe() + ": " + layers.size() + " layers");
        LatencyModelRecord.Builder record = header(modelSha256);
        Map<TimedLayer.Kind, Integer> steps = sweepAll(models, layers, record);
        sweepModel(analysis, record);
        InterleavedTimer timer = new InterleavedTimer(runtime, 2, 7);
        double sum = 0;
        for (TimedLayer l : layers) {
            Interruption.check();
            LayerLatency latency = measure(models, timer, l, steps.getOrDefault(l.kind(), 1));
            record.addLayers(latency);
            sum += latency.getFullMs();
        }
        // the whole model once in one session: its own time, then against a uniform half cut
        try (OnnxRunner original = runtime.open(analysis.model())) {
            double whole = original.latencyMillis(runtime.batch(), 3, 11);
            double scale = sum > whole ? whole / sum : 1;
            record.setWholeMs(whole).setLayerScale(scale).setOtherMs(Math.max(0, whole - scale * sum));
            record.setOtherScaling(otherScaling(analysis, original, record.build()));
        }
        record.setBuildMs((System.nanoTime() - t0) / 1_000_000);
        progress.accept(String.format(Locale.ROOT, "latency model: whole model %.3f ms, timed layers %.3f ms, %.0f%% of the rest"
                + " shrinks with them; built in %.1f s", record.getWholeMs(), sum, 100 * record.getOtherScaling(), record.getBuildMs() / 1000.0));
        return record.build();
    }

    /**
     * How much of the time no layer accounts for shrinks with the layers: the whole model cut to half of every group
     * (on the kernels' steps) is timed against the original, and what the layers do not explain of that cut's time is
     * compared with the other time at full size.
     */
    private double otherScaling(Analysis analysis, OnnxRunner original, LatencyModelRecord partial) {
        if (partial.getOtherMs() <= 0) {
            return 0;
        }
        LatencyModel model = new LatencyModel(partial, analysis);
        PruningPlan plan = ModelStepSweep.halfCut(analysis, model);
        int[] kept = model.fullCounts();
        plan.keptChannels().forEach((group, channels) -> kept[group] = channels.length);
        double layersFull = model.predictMs(model.fullCounts()) - partial.getOtherMs();
        double layersHalf = model.predictMs(kept) - partial.getOtherMs();
        if (plan.keptChannels().isEmpty() || layersFull <= 0) {
            return 0;
        }
        Model half = Surgery.apply(analysis, plan, WeightUpdate.NONE);
        LatencyComparison c;
        try (OnnxRunner after = runtime.open(half)) {
            c = runtime.compare(original, after, 3, 11);
        }
        double otherHalf = c.ratio() * partial.getWholeMs() - layersHalf;
        double shrunk = partial.getOtherMs() * (1 - layersHalf / layersFull);
        return shrunk <= 0 ? 0 : Math.max(0, Math.min(1, (partial.getOtherMs() - otherHalf) / shrunk));
    }

    private LatencyModelRecord.Builder header(String modelSha256) {
        return LatencyModelRecord.newBuilder().setModelSha256(modelSha256).setRuntime(runtime.key()).setRuntimeDescription(runtime.describe());
    }

    /** The layers whose sizes pruning changes and whose input shape is known. */
    private static List<TimedLayer> timedLayers(Analysis analysis) {
        List<TimedLayer> layers = new ArrayList<>();
        for (TimedLayer l : TimedLayer.of(analysis)) {
            long[] x = analysis.unitShapes().get(l.node().input(0));
            if (x != null && Shapes.isStatic(x) && (!l.out().isEmpty() || (!l.in().isEmpty() && !l.inputFollowsOutput()))) {
                layers.add(l);
            }
        }
        return layers;
    }

    private Map<TimedLayer.Kind, Integer> sweepAll(LayerModels models, List<TimedLayer> layers, LatencyModelRecord.Builder record) {
        Map<TimedLayer.Kind, Integer> steps = new EnumMap<>(TimedLayer.Kind.class);
        for (TimedLayer.Kind kind : TimedLayer.Kind.values()) {
            KernelStep s = sweep(models, layers, kind);
            if (s != null) {
                record.addSteps(s);
                steps.put(kind, s.getStep());
                progress.accept("  " + kind + ": step " + s.getStep() + " (swept on " + s.getLayer() + ")");
            }
        }
        return steps;
    }

    /** The multiple the whole model runs fastest at, on top of the kernels' steps already in the record. */
    private void sweepModel(Analysis analysis, LatencyModelRecord.Builder record) {
        if (analysis.prunableGroups().isEmpty()) {
            record.setModelStep(ModelStep.newBuilder().setStep(1)); // nothing to cut: nothing to sweep
            return;
        }
        ModelStep step = ModelStepSweep.sweep(analysis, record.build(), runtime);
        record.setModelStep(step);
        progress.accept("  whole model: step " + step.getStep() + " (half cuts at multiples " + step.getCandidatesList()
                + " took " + step.getMsList().stream().map(ms -> String.format(Locale.ROOT, "%.3f", ms)).toList() + " ms)");
    }

    /** A kind's step from a sweep of output sizes on its median-sized layer; null when the model has none to sweep. */
    private KernelStep sweep(LayerModels models, List<TimedLayer> layers, TimedLayer.Kind kind) {
        List<TimedLayer> ofKind = layers.stream().filter(l -> l.kind() == kind && !l.out().isEmpty() && l.outSize() >= 8)
                .sorted(Comparator.comparingLong(TimedLayer::outSize)).toList();
        if (ofKind.isEmpty()) {
            return null;
        }
        TimedLayer l = ofKind.get(ofKind.size() / 2);
        long top = l.outSize();
        long bottom = top >= 3 * SWEEP / 2 ? top - SWEEP : Math.max(1, top / 2);
        List<byte[]> variants = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        long in = sweepInSize(l, models);
        for (long size = bottom; size <= top; size++) {
            if (size % unit(l) != 0) {
                continue; // a grouped Conv only takes whole groups
            }
            sizes.add(size);
            variants.add(models.build(l, l.inputFollowsOutput() ? l.inSize() * size / l.outSize() : in, size));
        }
        double[] ms = new InterleavedTimer(runtime, 2, 9).medians(variants);
        long[] x = sizes.stream().mapToLong(Long::longValue).toArray();
        KernelStep.Builder b = KernelStep.newBuilder().setKind(kind.name()).setStep(KernelSteps.fit(x, ms)).setLayer(l.node().name());
        for (int i = 0; i < x.length; i++) {
            b.addSizes(x[i]).addMs(ms[i]);
        }
        return b.build();
    }

    private LayerLatency measure(LayerModels models, InterleavedTimer timer, TimedLayer l, int step) {
        boolean ownInput = !l.inputFollowsOutput() && !l.in().isEmpty();
        long[] outSizes = l.out().isEmpty() ? new long[0] : grid(l.outSize(), step * unit(l));
        long[] inSizes = ownInput ? grid(l.inSize(), step) : new long[0];
        List<byte[]> variants = new ArrayList<>();
        variants.add(models.build(l, l.inSize(), l.outSize()));
        for (long out : outSizes) {
            variants.add(models.build(l, l.inputFollowsOutput() ? l.inSize() * out / l.outSize() : l.inSize(), out));
        }
        for (long in : inSizes) {
            variants.add(models.build(l, in, l.outSize()));
        }
        double[] ms = timer.medians(variants);
        LayerLatency.Builder b = LayerLatency.newBuilder().setNode(l.node().name()).setKind(l.kind().name()).setFullMs(ms[0]);
        if (outSizes.length > 0) {
            b.setOut(curve(outSizes, ms, 1, l.outSize(), ms[0]));
        }
        if (inSizes.length > 0) {
            b.setIn(curve(inSizes, ms, 1 + outSizes.length, l.inSize(), ms[0]));
        }
        return b.build();
    }

    /** A grouped Conv loses whole groups: its output size moves in multiples of the outputs per group. */
    /**
     * The input size a kind's sweep times its layer at: the layer's own, unless one variant would hold more than
     * {@link #SWEEP_VARIANT_BYTES} of weights; then fewer inputs, since the step is a property of the output count.
     * All variants are held and timed together: 32 of a 8192-wide Gemm are 8.6 GB, which ran the scorer out of memory.
     */
    private static long sweepInSize(TimedLayer l, LayerModels models) {
        if (l.inputFollowsOutput() || l.kind() == TimedLayer.Kind.GROUPED_CONV) {
            return l.inSize();
        }
        long weightsPerPair = Math.max(1, models.weightElements(l) / (l.inSize() * l.outSize())); // a Conv's kernel area
        long fits = SWEEP_VARIANT_BYTES / (Float.BYTES * l.outSize() * weightsPerPair);
        return Math.max(1, Math.min(l.inSize(), fits));
    }

    private static int unit(TimedLayer l) {
        return l.inputFollowsOutput() ? (int) (l.outSize() / l.node().attrInt("group", 1)) : 1;
    }

    /** The sizes a layer is timed at below its full size, ascending, each rounded up to the step. */
    private static long[] grid(long full, int step) {
        TreeSet<Long> sizes = new TreeSet<>();
        for (double f : FRACTIONS) {
            long s = Math.min(full, KernelSteps.roundUp(Math.max(1, (long) Math.ceil(full * f)), step));
            if (s < full) {
                sizes.add(s);
            }
        }
        return sizes.stream().mapToLong(Long::longValue).toArray();
    }

    private static LatencyCurve curve(long[] sizes, double[] ms, int from, long full, double fullMs) {
        LatencyCurve.Builder c = LatencyCurve.newBuilder();
        for (int i = 0; i < sizes.length; i++) {
            c.addSizes(sizes[i]).addRatios(ms[from + i] / fullMs);
        }
        return c.addSizes(full).addRatios(1).build();
    }
}
