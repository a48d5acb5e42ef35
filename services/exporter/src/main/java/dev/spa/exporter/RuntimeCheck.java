package dev.spa.exporter;

import dev.spa.SpaException;
import dev.spa.latency.LatencyRuntime;
import dev.spa.platform.JobRejected;
import dev.spa.runtime.LatencyComparison;
import dev.spa.ir.InputShapes;
import dev.spa.runtime.OnnxRunner;
import dev.spa.runtime.Outputs;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The pruned model checked in ONNX Runtime against the original on the same random inputs (both from their files,
 * with their data files if they have them): it must
 * load, run and give outputs of the original's shapes. Also times both on the job's runtime (by default the CPU
 * provider, 2 threads, batch 1), interleaved ({@link LatencyComparison}: 5 warm-up runs, 21 rounds).
 */
public record RuntimeCheck(double relativeDeviation, LatencyComparison latency) {
    /** @param stated the shapes the job states for free input dimensions: both models are fed and timed at them */
    public static RuntimeCheck run(Path original, Path pruned, LatencyRuntime runtime, InputShapes stated) {
        try (OnnxRunner before = runtime.open(original).stating(stated); OnnxRunner after = open(pruned, runtime).stating(stated)) {
            Map<String, float[]> inputs = before.randomInputs(1, 42);
            Outputs a = before.run(inputs, 1);
            Outputs b;
            try {
                b = after.run(inputs, 1);
            } catch (SpaException e) {
                throw new JobRejected("VERIFICATION_FAILED", "the pruned model does not run in ONNX Runtime: " + e.getMessage(), false, e);
            }
            for (String name : a.shapes().keySet()) {
                long[] shape = b.shapes().get(name);
                if (!Arrays.equals(a.shapes().get(name), shape)) {
                    throw new JobRejected("VERIFICATION_FAILED", "output " + name + " is " + Arrays.toString(shape)
                            + " after pruning, " + Arrays.toString(a.shapes().get(name)) + " before", false);
                }
            }
            return new RuntimeCheck(a.relativeError(b), runtime.compare(before, after, 5, 21));
        }
    }

    private static OnnxRunner open(Path pruned, LatencyRuntime runtime) {
        try {
            return runtime.open(pruned);
        } catch (SpaException e) {
            throw new JobRejected("VERIFICATION_FAILED", "ONNX Runtime refuses the pruned model: " + e.getMessage(), false, e);
        }
    }
}
