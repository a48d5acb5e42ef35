package dev.spa.obspa;

import dev.spa.Interruption;
import dev.spa.ir.Model;
import dev.spa.linalg.Linalg;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.runtime.IntermediateOutputs;
import dev.spa.runtime.ModelOutputs;
import dev.spa.runtime.OnnxRunner;
import dev.spa.runtime.SampleBatches;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Hessians from real activations: the model runs in ONNX Runtime on batches of samples (calibration
 * data, or synthetic noise) with every layer's input exposed as an extra output, and each batch's
 * unfolded inputs are added to that layer's H and dropped, so memory holds one batch at a time.
 */
public final class CapturedHessians implements HessianSource {
    private static final int BATCH = 32;

    private final SampleBatches samples;
    private final String description;
    private final ExecutionProvider provider;

    public CapturedHessians(SampleBatches samples, String description, ExecutionProvider provider) {
        this.samples = samples;
        this.description = description;
        this.provider = provider;
    }

    @Override
    public String describe() {
        return description + " (" + samples.samples() + " samples)";
    }

    @Override
    public LayerHessians hessians(Model model, Collection<LinearLayer> layers, Linalg linalg) {
        Map<String, GramHessian> out = new LinkedHashMap<>();
        Map<String, RowSampling> sampling = new HashMap<>();
        Set<String> observed = new LinkedHashSet<>();
        for (LinearLayer layer : layers) {
            out.put(layer.weight(), new GramHessian(layer.hessianColumns()));
            if (!model.graph().isGraphInput(layer.input())) {
                observed.add(layer.input());
            }
        }
        SampleBatches named = samples.named(model);
        try (OnnxRunner runner = new OnnxRunner(IntermediateOutputs.exposed(model, observed), 2, provider)) {
            named.forEachBatch(BATCH, (data, count) -> {
                Interruption.check();
                Map<String, float[]> feed = named.feed(data, count);
                ModelOutputs result = runner.run(feed, count);
                for (LinearLayer layer : layers) {
                    boolean fromInput = model.graph().isGraphInput(layer.input());
                    float[] x = fromInput ? feed.get(layer.input()) : result.values().get(layer.input());
                    long[] shape = fromInput ? runner.inputShapes(count).get(layer.input()) : result.shapes().get(layer.input());
                    GramHessian h = out.get(layer.weight());
                    RowSampling taken = sampling.computeIfAbsent(layer.weight(), w -> sampled(layer, shape, count));
                    Unfold.rows(layer, x, shape, taken, (rows, n) -> h.add(linalg, rows, n));
                }
            });
        }
        sampling.forEach((weight, taken) -> out.get(weight).scale(taken.scale()));
        return layer -> out.remove(layer.weight());
    }

    /** The rows of this layer the capture takes, from its first batch's input shape (of {@code count} samples). */
    private RowSampling sampled(LinearLayer layer, long[] shape, int count) {
        return RowSampling.of(Unfold.rowCount(layer, shape) * samples.samples() / count, layer.hessianColumns(), Unfold.lineLength(layer, shape));
    }
}
