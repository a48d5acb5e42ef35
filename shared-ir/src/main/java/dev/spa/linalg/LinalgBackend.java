package dev.spa.linalg;

import dev.spa.SpaException;
import dev.spa.linalg.cuda.CudaLinalg;
import dev.spa.linalg.cuda.CudaProbe;

import java.util.List;

/**
 * Picks the linear algebra for a process, once, at start-up: {@code auto} takes the GPU when the CUDA
 * probe finds one and the CPU otherwise, {@code cpu} never touches CUDA, and {@code cuda} insists on the
 * GPU (a GPU node that lost its driver should fail to start, not run ten times slower unnoticed).
 */
public final class LinalgBackend {
    public static final List<String> PREFERENCES = List.of("auto", "cpu", "cuda");

    /** The linear algebra chosen, and in words why. */
    public record Choice(Linalg linalg, String reason) {
        public String kind() {
            return linalg.name();
        }
    }

    private LinalgBackend() {
    }

    /** @param deviceBudgetBytes the most GPU memory the CUDA implementation may hold */
    public static Choice choose(String preference, long deviceBudgetBytes) {
        switch (preference) {
            case "cpu":
                return new Choice(new CpuLinalg(), "cpu requested");
            case "cuda": {
                CudaProbe.Result probe = CudaProbe.result();
                if (!probe.available()) {
                    throw new SpaException("the cuda backend was requested but cannot be used: " + probe.description());
                }
                return new Choice(new CudaLinalg(0, deviceBudgetBytes), "cuda requested: " + probe.description());
            }
            case "auto": {
                CudaProbe.Result probe = CudaProbe.result();
                return probe.available()
                        ? new Choice(new CudaLinalg(0, deviceBudgetBytes), "GPU found: " + probe.description())
                        : new Choice(new CpuLinalg(), "no GPU: " + probe.description());
            }
            default:
                throw new SpaException("backend '" + preference + "' is unknown: use one of " + PREFERENCES);
        }
    }
}
