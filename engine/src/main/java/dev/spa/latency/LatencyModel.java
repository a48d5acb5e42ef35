package dev.spa.latency;

import dev.spa.SpaException;
import dev.spa.events.manifest.KernelStep;
import dev.spa.events.manifest.LatencyCurve;
import dev.spa.events.manifest.LatencyModelRecord;
import dev.spa.events.manifest.LayerLatency;
import dev.spa.groups.Analysis;
import dev.spa.groups.Group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's predicted latency on one runtime for any channel counts: the time no timed layer accounts for,
 * plus each timed layer's full time scaled by its measured curves along its output and input sizes (each size
 * first rounded up to the step its kind of kernel runs at, since the kernel computes those channels anyway).
 * Built from a {@link LatencyModelRecord} (measured by {@link LatencyModelBuilder}, or cached) and the model's analysis.
 */
public final class LatencyModel {
    private final LatencyModelRecord record;
    private final List<TimedLayer> layers = new ArrayList<>();
    private final List<LayerLatency> latencies = new ArrayList<>();
    private final Map<Integer, List<Integer>> layersByGroup = new HashMap<>();
    /** Every timed-kind layer whose output a group is, measured or not: what the group's step is read from. */
    private final Map<Integer, List<TimedLayer>> producers = new HashMap<>();
    private final Map<TimedLayer.Kind, Integer> steps = new HashMap<>();
    private final int[] channels;

    /** @param record a full latency model, or only the kernels' steps (then only {@link #step} means anything) */
    public LatencyModel(LatencyModelRecord record, Analysis analysis) {
        this.record = record;
        this.channels = fullCounts(analysis);
        Map<String, TimedLayer> byNode = new HashMap<>();
        for (TimedLayer l : TimedLayer.of(analysis)) {
            byNode.put(l.node().name(), l);
            l.out().forEach(s -> producers.computeIfAbsent(s.group(), k -> new ArrayList<>()).add(l));
        }
        for (KernelStep s : record.getStepsList()) {
            steps.put(TimedLayer.Kind.valueOf(s.getKind()), s.getStep());
        }
        for (LayerLatency l : record.getLayersList()) {
            TimedLayer layer = byNode.get(l.getNode());
            if (layer == null) {
                throw new SpaException("the latency model times layer '" + l.getNode() + "', which this model does not have as a timed layer: "
                        + "it was measured on another model");
            }
            int index = layers.size();
            layers.add(layer);
            latencies.add(l);
            List<TimedLayer.Share> touching = new ArrayList<>(layer.out());
            if (!layer.inputFollowsOutput()) {
                touching.addAll(layer.in());
            }
            touching.forEach(s -> {
                List<Integer> list = layersByGroup.computeIfAbsent(s.group(), k -> new ArrayList<>());
                if (!list.contains(index)) {
                    list.add(index);
                }
            });
        }
    }

    /** Channel counts of every group, indexed by group id: the whole model. */
    static int[] fullCounts(Analysis analysis) {
        int max = 0;
        for (Group g : analysis.groups()) {
            max = Math.max(max, g.id() + 1);
        }
        int[] out = new int[max];
        for (Group g : analysis.groups()) {
            out[g.id()] = g.channels();
        }
        return out;
    }

    public LatencyModelRecord record() {
        return record;
    }

    public int[] fullCounts() {
        return channels.clone();
    }

    /**
     * Predicted milliseconds when each group keeps {@code kept[id]} channels: the timed layers (scaled to the whole), plus
     * the other time, of which the measured share shrinks in proportion with the layers.
     */
    public double predictMs(int[] kept) {
        double sum = 0;
        for (int i = 0; i < layers.size(); i++) {
            sum += layerMs(i, kept);
        }
        return record.getOtherMs() * (1 - record.getOtherScaling()) + record.getLayerScale() * sum * otherFactor();
    }

    /** Each millisecond of layer time carries this much time in all: itself and the share of the other time that follows it. */
    private double otherFactor() {
        double layers = record.getWholeMs() - record.getOtherMs();
        return layers <= 0 ? 1 : 1 + record.getOtherScaling() * record.getOtherMs() / layers;
    }

    /** Predicted milliseconds saved when group {@code group} goes from its count in {@code kept} to {@code newCount}. */
    public double savingMs(int[] kept, int group, int newCount) {
        List<Integer> touched = layersByGroup.getOrDefault(group, List.of());
        double before = 0;
        for (int i : touched) {
            before += layerMs(i, kept);
        }
        int old = kept[group];
        kept[group] = newCount;
        double after = 0;
        for (int i : touched) {
            after += layerMs(i, kept);
        }
        kept[group] = old;
        return record.getLayerScale() * (before - after) * otherFactor();
    }

    /**
     * The channel multiple this group's count should snap to: the largest step among the kernels whose output
     * it is and the whole model's step, counted in channels of the group (a channel that spans 64 positions meets a
     * step of 16 by itself).
     */
    public int step(int group) {
        int step = 1;
        int whole = Math.max(1, record.getModelStep().getStep());
        for (TimedLayer l : producers.getOrDefault(group, List.of())) {
            for (TimedLayer.Share s : l.out()) {
                if (s.group() == group) {
                    int kernel = Math.max(whole, steps.getOrDefault(l.kind(), 1));
                    step = Math.max(step, kernel / gcd(kernel, s.perChannel()));
                }
            }
        }
        return step;
    }

    /** The measured steps in words: "steps on ONNX Runtime CPU, 2 intra-op threads, batch 1: DENSE_CONV 16, DEPTHWISE_CONV 4". */
    public String describeSteps() {
        StringBuilder b = new StringBuilder("kernel steps on ").append(record.getRuntimeDescription()).append(':');
        for (KernelStep s : record.getStepsList()) {
            b.append(' ').append(s.getKind()).append(' ').append(s.getStep()).append(',');
        }
        if (record.hasModelStep()) {
            b.append(" whole model ").append(record.getModelStep().getStep()).append(',');
        }
        return b.charAt(b.length() - 1) == ',' ? b.substring(0, b.length() - 1) : b.append(" none swept").toString();
    }

    private double layerMs(int i, int[] kept) {
        TimedLayer l = layers.get(i);
        LayerLatency m = latencies.get(i);
        int step = steps.getOrDefault(l.kind(), 1);
        double ms = m.getFullMs() * ratio(m.getOut(), l.outSize(kept, channels), step);
        if (!l.inputFollowsOutput() && m.hasIn()) {
            ms *= ratio(m.getIn(), l.inSize(kept, channels), step);
        }
        return ms;
    }

    /** The curve at a size rounded up to the step, interpolated linearly (below the smallest size measured: towards 0). */
    static double ratio(LatencyCurve curve, long size, int step) {
        int n = curve.getSizesCount();
        if (n == 0) {
            return 1;
        }
        long full = curve.getSizes(n - 1);
        double x = Math.min(full, KernelSteps.roundUp(size, step));
        if (x >= full) {
            return curve.getRatios(n - 1);
        }
        double x0 = 0;
        double y0 = 0;
        for (int k = 0; k < n; k++) {
            double x1 = curve.getSizes(k);
            double y1 = curve.getRatios(k);
            if (x <= x1) {
                return x1 == x0 ? y1 : y0 + (y1 - y0) * (x - x0) / (x1 - x0);
            }
            x0 = x1;
            y0 = y1;
        }
        return curve.getRatios(n - 1);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
