package dev.spa.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.spa.SpaException;

import java.util.List;

/**
 * Where ONNX Runtime runs the models that capture activations (OBSPA's calibration and noise
 * Hessians, the sequential re-fit): the CPU provider, or the CUDA provider when this build carries
 * ONNX Runtime's GPU artifact ({@code -Pgpu}) and the node has the CUDA 12 libraries it loads.
 */
public enum ExecutionProvider {
    CPU, CUDA;

    public static final List<String> PREFERENCES = List.of("auto", "cpu", "cuda");

    /** The provider chosen, and in words why. */
    public record Choice(ExecutionProvider provider, String reason) {
    }

    /** Adds this provider to a session's options (the CPU provider is always there as the fallback for unsupported nodes). */
    void configure(OrtSession.SessionOptions options) throws OrtException {
        if (this == CUDA) {
            options.addCUDA(0);
        }
    }

    public static Choice choose(String preference) {
        switch (preference) {
            case "cpu":
                return new Choice(CPU, "cpu requested");
            case "cuda": {
                String missing = cudaMissing();
                if (missing != null) {
                    throw new SpaException("the cuda execution provider was requested but cannot be used: " + missing);
                }
                return new Choice(CUDA, "cuda requested");
            }
            case "auto": {
                String missing = cudaMissing();
                return missing == null ? new Choice(CUDA, "ONNX Runtime's CUDA provider loads") : new Choice(CPU, missing);
            }
            default:
                throw new SpaException("execution provider '" + preference + "' is unknown: use one of " + PREFERENCES);
        }
    }

    /** Why the CUDA provider cannot be used here, or null when it can. */
    private static String cudaMissing() {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return "this build's ONNX Runtime has no CUDA provider (build with -Pgpu for the onnxruntime_gpu artifact)";
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.addCUDA(0);
            return null;
        } catch (OrtException | LinkageError e) {
            return "ONNX Runtime's CUDA provider does not load (it needs CUDA 12 and cuDNN 9 on the library path): " + e.getMessage();
        }
    }
}
