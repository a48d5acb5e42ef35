package dev.spa.runtime;

import dev.spa.SpaException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Feeds any number of samples to a model exported with a fixed batch size: the samples go in
 * chunks of that size, the last one padded with zeros, and each output's chunks are joined on the
 * leading axis with the padding cut off. Every output must carry the batch on its leading axis.
 */
final class FixedBatchChunks {
    private FixedBatchChunks() {
    }

    static ModelOutputs run(BiFunction<Map<String, float[]>, Integer, ModelOutputs> runChunk, Map<String, float[]> inputs,
                       int batch, int fixed) {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (int first = 0; first < batch; first += fixed) {
            int count = Math.min(fixed, batch - first);
            Map<String, float[]> chunk = new LinkedHashMap<>();
            for (Map.Entry<String, float[]> e : inputs.entrySet()) {
                int perSample = e.getValue().length / batch;
                float[] part = new float[fixed * perSample];
                System.arraycopy(e.getValue(), first * perSample, part, 0, count * perSample);
                chunk.put(e.getKey(), part);
            }
            ModelOutputs out = runChunk.apply(chunk, fixed);
            for (Map.Entry<String, float[]> e : out.values().entrySet()) {
                long[] shape = out.shapes().get(e.getKey());
                if (shape.length == 0 || shape[0] != fixed) {
                    throw new SpaException("the model fixes its batch to " + fixed + " but output '" + e.getKey() + "' of shape "
                            + Arrays.toString(shape) + " does not carry it on its leading axis, so " + batch
                            + " samples cannot be fed in chunks");
                }
                int perSample = e.getValue().length / fixed;
                float[] joined = values.computeIfAbsent(e.getKey(), k -> new float[batch * perSample]);
                System.arraycopy(e.getValue(), 0, joined, first * perSample, count * perSample);
                long[] total = shape.clone();
                total[0] = batch;
                shapes.put(e.getKey(), total);
            }
        }
        return new ModelOutputs(values, shapes);
    }
}
