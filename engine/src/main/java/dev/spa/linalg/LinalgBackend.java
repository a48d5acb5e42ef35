package dev.spa.linalg;

import dev.spa.SpaException;
import dev.spa.linalg.cuda.CudaLinalg;
import dev.spa.linalg.cuda.CudaProbe;

import java.util.List;

/**
 * Picks the linear algebra for a process, once, at start-up: {@code auto} takes the GPU when the CUDA
 * probe finds one and the CPU otherwise, {@code cpu} never touches CUDA, and {@code cuda} insists on the
 * GPU (a GPU node that lost its driver should fail to start, not run ten times slower unnoticed). On the
 * CPU the work runs on OpenBLAS where its native library loads (5-13x the hand-written kernels at 1152-4608
 * columns, faster at every measured size, BENCHMARKS.md), else on the hand-written kernels; {@code java} asks for those.
 */
public final class LinalgBackend {
    public static final List<String> PREFERENCES = List.of("auto", "cpu", "cuda", "java");

    /** The linear algebra chosen, and in words why. */
    public record Choice(Linalg linalg, String reason) {
        /** Where it runs, for metrics and plans: "cpu" or "cuda". */
        public String kind() {
            return linalg.name();
        }
    }

    private LinalgBackend() {
    }

    /** The CPU's linear algebra: OpenBLAS, else the hand-written kernels, with the reason. */
    public static Choice cpu() {
        Availability blas = OpenBlas.result();
        return blas.available() ? new Choice(OpenBlas.linalg(), blas.description())
                : new Choice(new CpuLinalg(), "hand-written kernels: " + blas.description());
    }

    /** @param deviceBudgetBytes the most GPU memory the CUDA implementation may hold */
    public static Choice choose(String preference, long deviceBudgetBytes) {
        switch (preference) {
            case "cpu": {
                Choice cpu = cpu();
                return new Choice(cpu.linalg(), "cpu requested: " + cpu.reason());
            }
            case "java":
                return new Choice(new CpuLinalg(), "the hand-written kernels requested");
            case "cuda": {
                Availability probe = CudaProbe.result();
                if (!probe.available()) {
                    throw new SpaException("the cuda backend was requested but cannot be used: " + probe.description());
                }
                return new Choice(new CudaLinalg(0, deviceBudgetBytes), "cuda requested: " + probe.description());
            }
            case "auto": {
                Availability probe = CudaProbe.result();
                if (probe.available()) {
                    return new Choice(new CudaLinalg(0, deviceBudgetBytes), "GPU found: " + probe.description());
                }
                Choice cpu = cpu();
                return new Choice(cpu.linalg(), "no GPU: " + probe.description() + "; " + cpu.reason());
            }
            default:
                throw new SpaException("backend '" + preference + "' is unknown: use one of " + PREFERENCES);
        }
    }
}
