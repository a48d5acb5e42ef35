package dev.spa.linalg.cuda;

import dev.spa.linalg.Availability;
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
    /** Found once per process, when the class is first used (class initialisation is lazy and thread-safe). */
    private static final Availability RESULT = probe();

    private CudaProbe() {
    }

    public static Availability result() {
        return RESULT;
    }

    private static Availability probe() {
        try {
            Loader.load(cudart.class);
            int[] count = new int[1];
            int status = cudaGetDeviceCount(count);
            if (status != 0) {
                return new Availability(false, "no usable CUDA driver: " + cudaGetErrorString(status).getString());
            }
            if (count[0] == 0) {
                return new Availability(false, "the CUDA driver reports no GPU");
            }
            Loader.load(cublas.class);
            Loader.load(cusolver.class);
            try (cudaDeviceProp properties = new cudaDeviceProp()) {
                Cuda.runtime(cudaGetDeviceProperties(properties, 0), "cudaGetDeviceProperties");
                return new Availability(true, String.format("%s (compute %d.%d, %.0f GiB)", properties.name().getString(),
                        properties.major(), properties.minor(), properties.totalGlobalMem() / (1024.0 * 1024 * 1024)));
            }
        } catch (LinkageError | RuntimeException e) {
            return new Availability(false, "CUDA libraries not loadable (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); a GPU node needs the NVIDIA driver (libcuda.so.1) and CUDA 13's runtime, cuBLAS and cuSOLVER on the"
                    + " library path, and -Dorg.bytedeco.javacpp.logger.debug=true shows what was tried");
        }
    }
}
