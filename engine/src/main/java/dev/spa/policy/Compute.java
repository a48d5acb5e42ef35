package dev.spa.policy;

import dev.spa.linalg.Linalg;
import dev.spa.linalg.LinalgBackend;
import dev.spa.runtime.ExecutionProvider;

/** Where a policy's work runs: the linear algebra (CPU, on OpenBLAS where it loads, or CUDA) and ONNX Runtime's provider for activation capture. */
public record Compute(Linalg linalg, ExecutionProvider capture) {
    public static Compute cpu() {
        return new Compute(LinalgBackend.cpu().linalg(), ExecutionProvider.CPU);
    }
}
