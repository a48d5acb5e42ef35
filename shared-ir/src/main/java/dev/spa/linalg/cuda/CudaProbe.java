package dev.spa.linalg.cuda;

import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cusolver;
import org.bytedeco.javacpp.Loader;

import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceProperties;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;

/**
 * Whether this process can use a GPU: loads the CUDA runtime, cuBLAS and cuSOLVER through JavaCPP and
 * asks for a device. Done once per process; any failure to load (no driver, no CUDA 13 libraries on
 * the library path, no device) is caught and becomes the reason the CPU is used.
 */
public final class CudaProbe {
    /** What the probe found: a usable device (and which), or why there is none. */
    public record Result(boolean available, String description) {
    }

    private static volatile Result result;

    private CudaProbe() {
    }

    public static Result result() {
        Result r = result;
        if (r == null) {
            synchronized (CudaProbe.class) {
                if (result == null) {
                    result = probe();
                }
                r = result;
            }
        }
        return r;
    }

    private static Result probe() {
        try {
            Loader.load(cudart.class);
            int[] count = new int[1];
            int status = cudaGetDeviceCount(count);
            if (status != 0) {
                return new Result(false, "no usable CUDA driver: " + cudaGetErrorString(status).getString());
            }
            if (count[0] == 0) {
                return new Result(false, "the CUDA driver reports no GPU");
            }
            Loader.load(cublas.class);
            Loader.load(cusolver.class);
            try (cudaDeviceProp properties = new cudaDeviceProp()) {
                Cuda.runtime(cudaGetDeviceProperties(properties, 0), "cudaGetDeviceProperties");
                return new Result(true, String.format("%s (compute %d.%d, %.0f GiB)", properties.name().getString(),
                        properties.major(), properties.minor(), properties.totalGlobalMem() / (1024.0 * 1024 * 1024)));
            }
        } catch (LinkageError | RuntimeException e) {
            return new Result(false, "CUDA libraries not loadable (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); a GPU node needs the NVIDIA driver (libcuda.so.1) and CUDA 13's runtime, cuBLAS and cuSOLVER on the"
                    + " library path, and -Dorg.bytedeco.javacpp.logger.debug=true shows what was tried");
        }
    }
}
