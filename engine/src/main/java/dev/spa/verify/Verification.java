package dev.spa.verify;

import dev.spa.SpaException;
import dev.spa.runtime.Agreement;
import dev.spa.runtime.LatencyComparison;
import dev.spa.runtime.LatencyRuntime;
import dev.spa.runtime.ModelOutputs;
import dev.spa.runtime.OnnxRunner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A pruned model run beside its original in ONNX Runtime on the same inputs: the outputs of both (shapes and values),
 * how far the pruned one's are from the original's (the largest deviation; for a classifier, top-1 agreement and logit cosine),
 * and, when asked, both timed interleaved on a runtime. The one
 * comparison the exporter's check, {@code spa verify} and the tests' oracle make; each decides what a mismatch means.
 *
 * @param samples how many inputs both ran on (the batch)
 * @param latency the interleaved timing, or null where none was asked for
 */
public record Verification(ModelOutputs original, ModelOutputs pruned, int samples, LatencyComparison latency) {
    /** Warm-up runs and interleaved rounds of every timed verification. */
    public static final int WARMUP = 5;
    public static final int ROUNDS = 21;

    /**
     * Runs both on {@code inputs} (a batch of {@code batch}) and, given a {@code timing} runtime, times them on it.
     *
     * @throws PrunedModelFails where the pruned model does not run (the original running is the caller's premise)
     */
    public static Verification compare(OnnxRunner original, OnnxRunner pruned, Map<String, float[]> inputs, int batch, LatencyRuntime timing) {
        ModelOutputs before = original.run(inputs, batch);
        ModelOutputs after;
        try {
            after = pruned.run(inputs, batch);
        } catch (SpaException e) {
            throw new PrunedModelFails("the pruned model does not run in ONNX Runtime: " + e.getMessage(), e);
        }
        return new Verification(before, after, batch, timing == null ? null : timing.compare(original, pruned, WARMUP, ROUNDS));
    }

    /** One line per output whose shape differs (or that the pruned model lacks): empty when every shape matches. */
    public List<String> shapeMismatches() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : original.shapes().entrySet()) {
            long[] after = pruned.shapes().get(e.getKey());
            if (!Arrays.equals(e.getValue(), after)) {
                out.add("output " + e.getKey() + " is " + (after == null ? "missing" : Arrays.toString(after)) + " after pruning, "
                        + Arrays.toString(e.getValue()) + " before");
            }
        }
        return out;
    }

    /** The largest |y' − y| over every output, divided by the largest |y| ({@link ModelOutputs#relativeError}). */
    public double deviation() {
        return original.relativeError(pruned);
    }

    /** How closely the pruned model's outputs follow the original's on these inputs ({@link Agreement}). */
    public Agreement agreement(String inputs) {
        return Agreement.of(original, pruned, samples, inputs);
    }

    /** The pruned model failed to run where its original ran. */
    public static final class PrunedModelFails extends SpaException {
        PrunedModelFails(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
