package dev.spa.plan;

import dev.spa.linalg.CpuLinalg;
import dev.spa.linalg.Linalg;
import dev.spa.runtime.ExecutionProvider;

/** Where a policy's work runs: the linear algebra (CPU or CUDA) and ONNX Runtime's provider for activation capture. */
public record Compute(Linalg linalg, ExecutionProvider capture) {
    public static Compute cpu() {
        return new Compute(new CpuLinalg(), ExecutionProvider.CPU);
    }
}
