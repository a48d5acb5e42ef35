package dev.spa.exporter;

import dev.spa.SpaException;
import dev.spa.ir.InputShapes;
import dev.spa.platform.JobRejected;
import dev.spa.runtime.LatencyComparison;
import dev.spa.runtime.LatencyRuntime;
import dev.spa.runtime.OnnxRunner;
import dev.spa.verify.Verification;

import java.nio.file.Path;
import java.util.List;

/**
 * The pruned model checked in ONNX Runtime against the original on the same random inputs (both from their files,
 * with their data files if they have them; {@link Verification}): it must load, run and give outputs of the original's
 * shapes, else the job fails with VERIFICATION_FAILED. Also times both on the job's runtime (by default the CPU
 * provider, 2 threads, batch 1), interleaved ({@link LatencyComparison}: 5 warm-up runs, 21 rounds).
 */
public record RuntimeCheck(double relativeDeviation, LatencyComparison latency) {
    /** @param stated the shapes the job states for free input dimensions: both models are fed and timed at them */
    public static RuntimeCheck run(Path original, Path pruned, LatencyRuntime runtime, InputShapes stated) {
        try (OnnxRunner before = runtime.open(original).stating(stated); OnnxRunner after = open(pruned, runtime).stating(stated)) {
            Verification v;
            try {
                v = Verification.compare(before, after, before.randomInputs(1, 42), 1, null);
            } catch (Verification.PrunedModelFails e) {
                throw new JobRejected("VERIFICATION_FAILED", e.getMessage(), false, e);
            }
            List<String> mismatches = v.shapeMismatches();
            if (!mismatches.isEmpty()) {
                throw new JobRejected("VERIFICATION_FAILED", mismatches.get(0), false);
            }
            // timed only once it is known to give the original's shapes: a wrong model is not worth 26 timed runs
            return new RuntimeCheck(v.deviation(), runtime.compare(before, after, Verification.WARMUP, Verification.ROUNDS));
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
